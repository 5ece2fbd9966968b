/**
 * Work in flight that `close()` must let finish before it closes the store and the Redis
 * connections underneath: requests being answered, the presence broadcast after a socket
 * disconnects, the announcements after a sweep. So a clean shutdown still tells the other nodes'
 * rooms, and no late broadcast publishes on a connection already quit. A task that fails is
 * reported with its label: whoever asked has been answered already, but the failure is news.
 */
export interface BackgroundTasks {
  add(task: Promise<unknown>, label: string): void
  /** Resolves once every task has settled, including tasks added while waiting. */
  settled(): Promise<void>
}

export function createBackgroundTasks(onFailure: (error: unknown, label: string) => void): BackgroundTasks {
  const running = new Set<Promise<unknown>>()
  return {
    add(task, label) {
      const settled = task.then(
        () => {},
        (error: unknown) => onFailure(error, label),
      )
      running.add(settled)
      void settled.then(() => running.delete(settled))
    },
    async settled() {
      while (running.size > 0) await Promise.all([...running])
    },
  }
}
