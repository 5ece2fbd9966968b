/**
 * Work in flight that `close()` must let finish before it closes the store and the Redis
 * connections underneath: requests being answered, the presence broadcast after a socket
 * disconnects, the announcements after a sweep. So a clean shutdown still tells the other nodes'
 * rooms, and no late broadcast publishes on a connection already quit. Failures are dropped here:
 * whoever cared has been answered already.
 */
export interface BackgroundTasks {
  add(task: Promise<unknown>): void
  /** Resolves once every task has settled, including tasks added while waiting. */
  settled(): Promise<void>
}

export function createBackgroundTasks(): BackgroundTasks {
  const running = new Set<Promise<unknown>>()
  return {
    add(task) {
      const settled = task.then(
        () => {},
        () => {},
      )
      running.add(settled)
      void settled.then(() => running.delete(settled))
    },
    async settled() {
      while (running.size > 0) await Promise.all([...running])
    },
  }
}
