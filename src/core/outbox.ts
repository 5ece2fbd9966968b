/**
 * Messages the user sent that the server has not yet confirmed, in send order. The outbox is
 * the only owner of unconfirmed messages: it survives disconnects and (through storage) page
 * reloads, and an entry leaves it only when the server acknowledges the message.
 * Operations are pure; the client persists the result after each change.
 */
import type { WireError } from '../protocol'

export type OutboxState = 'pending' | 'failed'

export interface OutboxEntry {
  clientId: string
  /** Absent for a visitor's first messages, sent before the server told it its room. */
  roomId?: string
  text: string
  createdAt: number
  state: OutboxState
  /** Why the server refused it; only on `failed`. */
  error?: WireError
}

export type Outbox = readonly OutboxEntry[]

/** More unsent messages than this and `send` refuses, rather than grow storage without end. */
export const OUTBOX_LIMIT = 1000

export function enqueue(outbox: Outbox, entry: OutboxEntry): Outbox {
  return [...outbox, entry]
}

export function remove(outbox: Outbox, clientId: string): Outbox {
  const next = outbox.filter((entry) => entry.clientId !== clientId)
  return next.length === outbox.length ? outbox : next
}

export function markFailed(outbox: Outbox, clientId: string, error: WireError): Outbox {
  return outbox.map((entry) => (entry.clientId === clientId ? { ...entry, state: 'failed' as const, error } : entry))
}

/** Puts a failed entry back in line; it keeps its place in send order. */
export function markPending(outbox: Outbox, clientId: string): Outbox {
  return outbox.map((entry) => {
    if (entry.clientId !== clientId || entry.state !== 'failed') return entry
    const { error: _error, ...rest } = entry
    return { ...rest, state: 'pending' as const }
  })
}

/**
 * Puts every entry in one room: a visitor's entries written before the server named its room,
 * or before its identity changed, all belong to the conversation it has now.
 */
export function moveToRoom(outbox: Outbox, roomId: string): Outbox {
  return outbox.some((entry) => entry.roomId !== roomId)
    ? outbox.map((entry) => (entry.roomId === roomId ? entry : { ...entry, roomId }))
    : outbox
}

/** Two outboxes as one, in the order their messages were written (stable for equal times). */
export function mergeBySendTime(a: Outbox, b: Outbox): Outbox {
  return [...a, ...b].sort((x, y) => x.createdAt - y.createdAt)
}

/** Restores a persisted outbox, keeping only well-formed entries. */
export function parseOutbox(value: unknown): Outbox {
  if (!Array.isArray(value)) return []
  return value.filter(
    (entry): entry is OutboxEntry =>
      typeof entry === 'object' &&
      entry !== null &&
      typeof entry.clientId === 'string' &&
      typeof entry.text === 'string' &&
      typeof entry.createdAt === 'number' &&
      (entry.state === 'pending' || entry.state === 'failed') &&
      (entry.roomId === undefined || typeof entry.roomId === 'string'),
  )
}
