/**
 * Whether this browser already has a conversation (or unsent messages) with the chat, read the
 * way the core's `createChatClient` reads it (`hasConversation`), from the same storage keys. The
 * loader uses it to fetch the chat at once for a returning visitor, so unread replies show and the
 * outbox is sent, while a first-time visitor costs the page nothing until the chat is opened.
 * Read-only: the loader never writes the core's storage.
 */

/** The core's default `storageKey`; the script tag does not offer another. */
export const DEFAULT_STORAGE_KEY = 'obrolan'

function readJson(win: Window, key: string): unknown {
  try {
    // `localStorage` itself throws where storage is disabled (sandboxed frames, some privacy modes).
    const raw = win.localStorage.getItem(key)
    return raw === null ? undefined : JSON.parse(raw)
  } catch {
    return undefined
  }
}

export function hasStoredConversation(win: Window, storageKey = DEFAULT_STORAGE_KEY): boolean {
  const identity = readJson(win, `${storageKey}:visitor:identity`) as Record<string, unknown> | undefined
  if (typeof identity?.visitorId === 'string' && typeof identity.token === 'string') return true
  const outbox = readJson(win, `${storageKey}:visitor:outbox`)
  return Array.isArray(outbox) && outbox.length > 0
}
