/**
 * The composer's draft, kept in sessionStorage so a reload or an accidental navigation does not
 * lose what the visitor was typing. Every access is guarded: sessionStorage can be missing, can
 * throw on access (blocked cookies, sandboxed iframes) or be full.
 */

export interface DraftStore {
  load(): string
  save(text: string): void
}

export function sessionDraftStore(win: Window | undefined, key: string): DraftStore {
  const storage = (): Storage | undefined => {
    try {
      return win?.sessionStorage ?? undefined
    } catch {
      return undefined
    }
  }
  return {
    load() {
      try {
        return storage()?.getItem(key) ?? ''
      } catch {
        return ''
      }
    },
    save(text) {
      try {
        const s = storage()
        if (text === '') s?.removeItem(key)
        else s?.setItem(key, text)
      } catch {
        // Full or blocked: the draft still lives in memory for this page.
      }
    },
  }
}
