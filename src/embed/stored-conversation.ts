/**
 * Whether this browser already has a conversation (or unsent messages) with the chat, read the
 * way the core's `createChatClient` reads it (`hasConversation`), from the same storage keys. The
 * loader uses it to fetch the chat at once for a returning visitor, so unread replies show and the
 * outbox is sent, while a first-time visitor costs the page nothing until the chat is opened.
 * Read-only: the loader never writes the core's storage.
 */
import { parseCredentials, storageKeys } from '../core/session/credentials'
import { hasStoredOutbox } from '../core/outbox/stored'
import { readJson } from '../core/util/storage'

export function hasStoredConversation(win: Window, storageKey?: string): boolean {
  let storage: Storage
  try {
    // `localStorage` itself throws where storage is disabled (sandboxed frames, some privacy modes).
    storage = win.localStorage
  } catch {
    return false
  }
  if (!storage) return false
  const keys = storageKeys('visitor', storageKey)
  if (parseCredentials(readJson(storage, keys.credentials))) return true
  return hasStoredOutbox(storage, keys.outbox)
}
