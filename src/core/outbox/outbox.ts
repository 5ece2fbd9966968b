/**
 * Messages the user sent that the server has not yet confirmed, in send order. The outbox is
 * the only owner of unconfirmed messages: it survives disconnects and (through storage) page
 * reloads, and an entry leaves it only when the server has the message (`Sender.confirm`) or the
 * user discards a failed one. Operations are pure.
 */
import type { Attachment, WireError } from '../../protocol'

export type OutboxState = 'pending' | 'failed'

/** A file to send with a message: uploaded first, then named by the message. */
export interface OutgoingFile {
  name: string
  type: string
  size: number
  /** Images: their size in pixels, if the sender knew it (for the space the preview takes). */
  width?: number
  height?: number
  /** What the server stored, once the upload is done; until then the message cannot go out. */
  uploaded?: Attachment
}

export interface OutboxEntry {
  clientId: string
  /** Absent for a visitor's first messages, written before the server told it its room. */
  roomId?: string
  text: string
  createdAt: number
  state: OutboxState
  /** Why the server refused it; only on `failed`. */
  error?: WireError
  /** A file sent with the message (its bytes are kept apart: `FileKeeper`). */
  file?: OutgoingFile
  /**
   * The socket generation it was last sent on while that send awaits its answer. An entry is in
   * flight exactly when this is the current generation; a new socket makes every entry sendable
   * again without touching it. Never persisted.
   */
  sentOn?: number
}

export type Outbox = readonly OutboxEntry[]

/** More unsent messages than this and `send` refuses, rather than grow storage without end. */
export const OUTBOX_LIMIT = 1000

export function enqueue(outbox: Outbox, entry: OutboxEntry): Outbox {
  return [...outbox, entry]
}

/** The outbox without these entries; the same outbox when none of them is in it. */
export function removeAll(outbox: Outbox, clientIds: ReadonlySet<string>): Outbox {
  if (clientIds.size === 0) return outbox
  const next = outbox.filter((entry) => !clientIds.has(entry.clientId))
  return next.length === outbox.length ? outbox : next
}

export function remove(outbox: Outbox, clientId: string): Outbox {
  return removeAll(outbox, new Set([clientId]))
}

/** Applies `change` to the entry with this client id; the same outbox when it changes nothing. */
export function update(outbox: Outbox, clientId: string, change: (entry: OutboxEntry) => OutboxEntry): Outbox {
  const index = outbox.findIndex((entry) => entry.clientId === clientId)
  if (index < 0) return outbox
  const entry = outbox[index]!
  const changed = change(entry)
  if (changed === entry) return outbox
  const next = outbox.slice()
  next[index] = changed
  return next
}

export function markFailed(outbox: Outbox, clientId: string, error: WireError): Outbox {
  return update(outbox, clientId, ({ sentOn: _sentOn, ...entry }) => ({ ...entry, state: 'failed', error }))
}

/**
 * Puts a failed entry back in line; it keeps its place in send order. Its file goes up again (the
 * server answers a repeat with the copy it has, so nothing is stored twice).
 */
export function markPending(outbox: Outbox, clientId: string): Outbox {
  return update(outbox, clientId, (entry) => {
    if (entry.state !== 'failed') return entry
    const { error: _error, ...rest } = entry
    return { ...rest, state: 'pending', ...(rest.file && { file: notUploaded(rest.file) }) }
  })
}

/** The file is on the server now: the message can go out. */
export function markUploaded(outbox: Outbox, clientId: string, attachment: Attachment): Outbox {
  return update(outbox, clientId, (entry) => (entry.file && entry.state === 'pending' ? { ...entry, file: { ...entry.file, uploaded: attachment } } : entry))
}

function notUploaded({ uploaded: _uploaded, ...file }: OutgoingFile): OutgoingFile {
  return file
}

/** The first entry whose file still has to go up, if any. */
export function nextUpload(outbox: Outbox): OutboxEntry | undefined {
  return outbox.find((entry) => entry.state === 'pending' && entry.roomId !== undefined && entry.file && !entry.file.uploaded)
}

/** Records that these entries (taken from this outbox, in its order) went out on socket `generation`. */
export function markSent(outbox: Outbox, sent: readonly OutboxEntry[], generation: number): Outbox {
  let next = 0
  return outbox.map((entry) => (entry === sent[next] ? { ...sent[next++]!, sentOn: generation } : entry))
}

/** The entry's send was answered (or can no longer be): it is no longer in flight. */
export function markAnswered(outbox: Outbox, clientId: string): Outbox {
  return update(outbox, clientId, (entry) => {
    if (entry.sentOn === undefined) return entry
    const { sentOn: _sentOn, ...rest } = entry
    return rest
  })
}

/**
 * Pending entries that can go out on socket `generation`: not already sent on it, and with a room,
 * in order up to the first whose file is still going up (later ones wait for it, so messages keep
 * the order they were written in).
 */
export function sendable(outbox: Outbox, generation: number): OutboxEntry[] {
  const ready: OutboxEntry[] = []
  for (const entry of outbox) {
    if (entry.state !== 'pending') continue
    if (entry.file && !entry.file.uploaded) break
    if (entry.roomId !== undefined && entry.sentOn !== generation) ready.push(entry)
  }
  return ready
}

export function inFlight(outbox: Outbox, generation: number): boolean {
  return outbox.some((entry) => entry.sentOn === generation)
}

/**
 * Puts every entry in one room: a visitor's entries written before the server named its room,
 * or before its identity changed, all belong to the conversation it has now.
 */
export function moveToRoom(outbox: Outbox, roomId: string): Outbox {
  return outbox.some((entry) => entry.roomId !== roomId)
    ? outbox.map((entry) => (entry.roomId === roomId ? entry : { ...entry, roomId, ...(entry.file && { file: notUploaded(entry.file) }) }))
    : outbox
}

/** Marks every unconfirmed entry of a room failed: the room is gone, so they cannot be sent to it. */
export function failRoom(outbox: Outbox, roomId: string, error: WireError): Outbox {
  return outbox.some((entry) => entry.roomId === roomId)
    ? outbox.map((entry) => {
        if (entry.roomId !== roomId) return entry
        const { sentOn: _sentOn, ...rest } = entry
        return { ...rest, state: 'failed' as const, error }
      })
    : outbox
}

/** Two outboxes as one, in the order their messages were written (stable for equal times). */
export function mergeBySendTime(a: Outbox, b: Outbox): Outbox {
  return [...a, ...b].sort((x, y) => x.createdAt - y.createdAt)
}

/** What is kept of an entry across page loads: everything but whether a socket is carrying it. */
export function persistable(outbox: Outbox): OutboxEntry[] {
  return outbox.map(({ sentOn: _sentOn, ...entry }) => entry)
}

/** Restores a persisted outbox, keeping only well-formed entries. */
export function parseOutbox(value: unknown): OutboxEntry[] {
  if (!Array.isArray(value)) return []
  return value
    .filter(
      (entry): entry is OutboxEntry =>
        typeof entry === 'object' &&
        entry !== null &&
        typeof entry.clientId === 'string' &&
        typeof entry.text === 'string' &&
        typeof entry.createdAt === 'number' &&
        (entry.state === 'pending' || entry.state === 'failed') &&
        (entry.roomId === undefined || typeof entry.roomId === 'string') &&
        (entry.file === undefined || isFile(entry.file)),
    )
    .map(({ sentOn: _sentOn, ...entry }) => entry)
}

function isFile(file: Record<string, unknown> | null): boolean {
  if (typeof file !== 'object' || file === null) return false
  const uploaded = file.uploaded as Record<string, unknown> | undefined
  return (
    typeof file.name === 'string' &&
    typeof file.type === 'string' &&
    typeof file.size === 'number' &&
    (uploaded === undefined || (typeof uploaded === 'object' && uploaded !== null && typeof uploaded.id === 'string'))
  )
}
