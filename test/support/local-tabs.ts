/**
 * Tabs in one Node process, for the tests of shared connections: Node's own BroadcastChannel
 * (messages are structured-cloned between instances, as between browser tabs) and an in-process
 * lock manager with the Web Locks API's rules (one holder per name, waiters granted in order,
 * `ifAvailable`, `signal`). `crash()` drops a tab's locks the way a browser does when a tab dies.
 */
import type { TabCoordination, TabLocks } from '../../src'

interface Waiter {
  tab: object
  held: (granted: boolean) => Promise<void>
  done: (error?: unknown) => void
}

export function localLocks() {
  const holders = new Map<string, Waiter>()
  const queues = new Map<string, Waiter[]>()

  function grant(name: string, waiter: Waiter): void {
    holders.set(name, waiter)
    Promise.resolve()
      .then(() => waiter.held(true))
      .then(
        () => release(name, waiter),
        (error: unknown) => release(name, waiter, error),
      )
  }

  function release(name: string, waiter: Waiter, error?: unknown): void {
    if (holders.get(name) !== waiter) return
    holders.delete(name)
    waiter.done(error)
    const next = queues.get(name)?.shift()
    if (next) grant(name, next)
  }

  function forTab(): TabLocks & { crash(): void } {
    const tab = {}
    return {
      request(name, options, held) {
        return new Promise<void>((resolve, reject) => {
          const waiter: Waiter = { tab, held, done: (error) => (error ? reject(error) : resolve()) }
          if (!holders.has(name)) return grant(name, waiter)
          if (options.ifAvailable) return void held(false).then(() => resolve(), reject)
          const queue = queues.get(name) ?? []
          queues.set(name, [...queue, waiter])
          options.signal?.addEventListener('abort', () => {
            const waiting = queues.get(name) ?? []
            if (!waiting.includes(waiter)) return
            queues.set(name, waiting.filter((w) => w !== waiter))
            reject(new DOMException('The request was aborted', 'AbortError'))
          })
        })
      },
      crash() {
        for (const [name, waiter] of [...holders]) if (waiter.tab === tab) release(name, waiter)
        for (const [name, waiting] of queues) queues.set(name, waiting.filter((w) => w.tab !== tab))
      },
    }
  }

  return { forTab, holderCount: () => holders.size }
}

/** One tab's coordination: a channel per group on Node's BroadcastChannel, and its locks. */
export function localTab(locks: ReturnType<typeof localLocks>): TabCoordination & { locks: ReturnType<ReturnType<typeof localLocks>['forTab']> } {
  const tabLocks = locks.forTab()
  return {
    locks: tabLocks,
    channel(name) {
      const channel = new BroadcastChannel(name)
      return {
        post: (message) => channel.postMessage(message),
        listen(handler) {
          const listener = (event: Event) => handler((event as MessageEvent).data)
          channel.addEventListener('message', listener)
          return () => channel.removeEventListener('message', listener)
        },
        close: () => channel.close(),
      }
    },
  }
}
