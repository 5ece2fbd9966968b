/**
 * Runs tasks for the same key one after another, in the order they were queued. Handlers that
 * read, then write, then broadcast (append a message, raise a watermark, edit) hold the room's
 * lock so a slow async store cannot reorder them: seq follows arrival and broadcasts follow seq.
 */
export interface KeyedLock {
  run<T>(key: string, task: () => Promise<T>): Promise<T>
}

export function createKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<void>>()

  function run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (tails.get(key) ?? Promise.resolve()).then(task)
    // The chain must never reject, or one failed task would fail every later one.
    const tail = result.then(
      () => undefined,
      () => undefined,
    )
    tails.set(key, tail)
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key)
    })
    return result
  }

  return { run }
}
