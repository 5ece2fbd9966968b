/**
 * What tabs of one browser need to share a connection: a message channel between them and a lock
 * only one tab holds at a time (the leader's). In browsers, `BroadcastChannel` and the Web Locks
 * API (`navigator.locks`): the browser releases a closed or crashed tab's lock at once, so the
 * next tab in line takes over without waiting for a timeout. Injected, so Node and tests can give
 * their own; without both, each tab keeps its own connection, as before.
 */

/** One tab's end of the channel; nothing posted comes back to the same end. */
export interface TabChannel {
  post(message: unknown): void
  listen(handler: (message: unknown) => void): () => void
  close(): void
}

/** The Web Locks API's `request`, as much of it as leadership needs. */
export interface TabLocks {
  /**
   * Calls `held` once the lock is granted and keeps it until the promise `held` returns settles.
   * With `ifAvailable`, calls `held(false)` at once when another holds it. A waiting request
   * ends, rejected, when `signal` aborts.
   */
  request(name: string, options: { ifAvailable?: boolean; signal?: AbortSignal }, held: (granted: boolean) => Promise<void>): Promise<void>
}

export interface TabCoordination {
  channel(name: string): TabChannel
  locks: TabLocks
}

interface LockManagerLike {
  request(name: string, options: { ifAvailable?: boolean; signal?: AbortSignal }, callback: (lock: unknown) => Promise<void>): Promise<void>
}

/** BroadcastChannel and Web Locks, when the page has both; read when a client starts, never at import. */
export function browserTabs(): TabCoordination | undefined {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks
  const Channel = (globalThis as { BroadcastChannel?: typeof BroadcastChannel }).BroadcastChannel
  if (!locks || typeof locks.request !== 'function' || typeof Channel !== 'function') return undefined
  return {
    channel(name) {
      const channel = new Channel(name)
      return {
        post: (message) => channel.postMessage(message),
        listen(handler) {
          const listener = (event: MessageEvent) => handler(event.data)
          channel.addEventListener('message', listener)
          return () => channel.removeEventListener('message', listener)
        },
        close: () => channel.close(),
      }
    },
    locks: {
      request: (name, options, held) => locks.request(name, options, (lock) => held(lock !== null)),
    },
  }
}
