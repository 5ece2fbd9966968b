/**
 * How unsent messages look in storage, readable without the client: the script-tag loader asks
 * `hasStoredOutbox` to tell a returning visitor with messages still to send.
 */
import { keysWithPrefix, readJson, type StorageLike } from '../util/storage'
import { parseOutbox, type OutboxEntry } from './outbox'

/** One client's unsent messages (see `persistence.ts`). */
export interface OutboxRecord {
  v: 2
  /** When its holder last said it was alive. */
  aliveAt: number
  /** Its holder closed: anyone may take the entries over. */
  released?: true
  /** Another client is taking the entries over (`by` is its record's key). */
  claim?: { by: string; at: number }
  entries: OutboxEntry[]
}

export function parseRecord(value: unknown): OutboxRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { v, aliveAt, released, claim, entries } = value as Record<string, unknown>
  if (v !== 2 || typeof aliveAt !== 'number') return undefined
  const record: OutboxRecord = { v, aliveAt, entries: parseOutbox(entries) }
  if (released === true) record.released = true
  const { by, at } = (claim ?? {}) as Record<string, unknown>
  if (typeof by === 'string' && typeof at === 'number') record.claim = { by, at }
  return record
}

/** Whether the storage can list its keys, which handing records on between clients needs. */
export function isEnumerable(storage: StorageLike): boolean {
  try {
    return typeof storage.key === 'function' && typeof storage.length === 'number'
  } catch {
    return false
  }
}

/**
 * True when the storage holds unsent messages under this outbox prefix, in any client's record
 * (or in the list an earlier version kept). Lenient and small: the script-tag loader asks, and
 * fetching the chat early for an entry the client then drops costs little.
 */
export function hasStoredOutbox(storage: StorageLike, prefix: string): boolean {
  const keys = isEnumerable(storage) ? keysWithPrefix(storage, prefix) : [prefix, `${prefix}:single`]
  return keys.some((key) => {
    const value = readJson(storage, key) as { entries?: unknown } | undefined
    const entries = Array.isArray(value) ? value : value?.entries
    return Array.isArray(entries) && entries.length > 0
  })
}
