/**
 * The page signals the client reacts to, injected so that Node and tests can supply their own.
 * The defaults read `navigator.onLine`, the `online`/`offline` events and `visibilitychange`,
 * and only when the client starts: importing this module touches no browser global.
 */
export interface Environment {
  isOnline(): boolean
  /** Calls back with the new state on every change; returns an unsubscribe. */
  onOnlineChange(listener: (online: boolean) => void): () => void
  /** Calls back when the page becomes visible again; returns an unsubscribe. */
  onVisible(listener: () => void): () => void
  /**
   * Calls back when the page is going away (closed, reloaded, navigated from); returns an
   * unsubscribe. Optional: without it, another tab takes over this one's unsent messages only
   * once it has been silent for a while.
   */
  onLeave?(listener: () => void): () => void
}

const noop = () => {}

export function browserEnvironment(): Environment {
  const win = typeof window === 'undefined' ? undefined : window
  const doc = typeof document === 'undefined' ? undefined : document
  return {
    isOnline: () => (typeof navigator === 'undefined' ? true : navigator.onLine !== false),
    onOnlineChange(listener) {
      if (!win) return noop
      const online = () => listener(true)
      const offline = () => listener(false)
      win.addEventListener('online', online)
      win.addEventListener('offline', offline)
      return () => {
        win.removeEventListener('online', online)
        win.removeEventListener('offline', offline)
      }
    },
    onVisible(listener) {
      if (!doc) return noop
      const changed = () => {
        if (doc.visibilityState === 'visible') listener()
      }
      doc.addEventListener('visibilitychange', changed)
      return () => doc.removeEventListener('visibilitychange', changed)
    },
    onLeave(listener) {
      if (!win) return noop
      win.addEventListener('pagehide', listener)
      return () => win.removeEventListener('pagehide', listener)
    },
  }
}

/** A hand-driven environment for tests and servers: starts online, changes when told. */
export function manualEnvironment(): Environment & { setOnline(online: boolean): void; becomeVisible(): void; leave(): void } {
  let online = true
  const onlineListeners = new Set<(online: boolean) => void>()
  const visibleListeners = new Set<() => void>()
  const leaveListeners = new Set<() => void>()
  return {
    isOnline: () => online,
    onOnlineChange(listener) {
      onlineListeners.add(listener)
      return () => onlineListeners.delete(listener)
    },
    onVisible(listener) {
      visibleListeners.add(listener)
      return () => visibleListeners.delete(listener)
    },
    setOnline(next) {
      if (next === online) return
      online = next
      for (const listener of onlineListeners) listener(next)
    },
    onLeave(listener) {
      leaveListeners.add(listener)
      return () => leaveListeners.delete(listener)
    },
    becomeVisible() {
      for (const listener of visibleListeners) listener()
    },
    leave() {
      for (const listener of leaveListeners) listener()
    },
  }
}
