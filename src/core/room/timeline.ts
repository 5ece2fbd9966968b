/**
 * The confirmed messages of one room, in server order, as an immutable value with pure
 * operations. Dedup is by server `id`; order is by `seq`. The timeline also knows how far it is
 * gap-free, which is what a reconnect resumes from.
 */
import { firstIndexAbove, type WireMessage } from '../../protocol'

export interface Timeline {
  /** Sorted by seq, one entry per seq. */
  readonly messages: readonly WireMessage[]
  /**
   * The highest seq up to which the timeline has every message from its first one on; the
   * `afterSeq` of the next catch-up. `undefined` until the room has been loaded once.
   */
  readonly contiguousSeq: number | undefined
  /** Older messages than the first one held exist on the server. */
  readonly hasOlder: boolean
  /** Where to look for an id without scanning every message; see `IdIndex`. */
  readonly ids?: IdIndex
  /**
   * Shared by a timeline and every one made from it by adding messages at the end only (the
   * usual live append): a view built from one of them extends to a later one without comparing
   * the messages. Any other change starts a new one.
   */
  readonly appendChain?: object
}

/**
 * The seqs each id was ever inserted at, shared by a timeline and every timeline made from it.
 * It is only ever added to, so it stays true for the older ones too: a seq found here is a place
 * to look, and the timeline asking still has to hold the id there.
 */
type IdIndex = Map<string, number[]>

function indexOf(timeline: Timeline): IdIndex {
  if (timeline.ids) return timeline.ids
  // Only a timeline made by hand lacks one; the operations here always pass theirs on.
  const ids: IdIndex = new Map()
  for (const message of timeline.messages) ids.set(message.id, [message.seq])
  return ids
}

/** The seq at which `messages` holds the message with this id, if it does. */
function seqOfId(messages: readonly WireMessage[], ids: IdIndex, id: string): number | undefined {
  for (const seq of ids.get(id) ?? []) {
    const { found, index } = findIndexBySeq(messages, seq)
    if (found && messages[index]!.id === id) return seq
  }
  return undefined
}

export const emptyTimeline: Timeline = { messages: [], contiguousSeq: undefined, hasOlder: false }

/** Which of two copies of one message is the newer: the one with the later change. */
function newer(held: WireMessage, other: WireMessage): WireMessage {
  // Deletion is final.
  if (held.deleted !== other.deleted) return held.deleted ? held : other
  // Change numbers order every edit, delete and delivery change in the room; copies from before them have none.
  const heldChange = held.changeSeq ?? 0
  const otherChange = other.changeSeq ?? 0
  if (heldChange !== otherChange) return otherChange > heldChange ? other : held
  return (other.editedAt ?? 0) > (held.editedAt ?? 0) ? other : held
}

/**
 * Two copies of one message (same id and seq): the newer one's text, file, reactions and change.
 * Who wrote it, where and under which clientId never change once held.
 */
function merge(held: WireMessage, other: WireMessage): WireMessage {
  const winner = newer(held, other)
  if (winner === held) return held
  const { attachment: _attachment, reactions: _reactions, ...kept } = held
  const merged: WireMessage = { ...kept, text: winner.text }
  if (winner.editedAt !== undefined) merged.editedAt = winner.editedAt
  if (winner.deleted) merged.deleted = true
  if (winner.attachment) merged.attachment = winner.attachment
  if (winner.reactions) merged.reactions = winner.reactions
  if (winner.changeSeq !== undefined) merged.changeSeq = winner.changeSeq
  // A change may be news from the message's channel (WhatsApp) that leaves the text as it was.
  if (winner.delivery !== undefined) merged.delivery = winner.delivery
  return merged
}

/**
 * Why a message cannot join the timeline as it is: its id is held under another seq, or its seq
 * under another id. Both mean the sender is confused; the copy already held wins.
 */
export function conflict(timeline: Timeline, message: WireMessage): string | undefined {
  const { found, index } = findIndexBySeq(timeline.messages, message.seq)
  if (found) {
    const held = timeline.messages[index]!
    return held.id === message.id ? undefined : `seq ${message.seq} is already message ${held.id}`
  }
  const heldAt = seqOfId(timeline.messages, indexOf(timeline), message.id)
  return heldAt === undefined ? undefined : `message ${message.id} is already at seq ${heldAt}`
}

function findIndexBySeq(messages: readonly WireMessage[], seq: number): { found: boolean; index: number } {
  const index = firstIndexAbove(messages, seq - 1, bySeq)
  return { found: messages[index]?.seq === seq, index }
}

const bySeq = (message: WireMessage): number => message.seq

function contiguousFrom(messages: readonly WireMessage[], start: number | undefined): number | undefined {
  if (start === undefined) return undefined
  let seq = start
  let { index } = findIndexBySeq(messages, seq + 1)
  while (index < messages.length && messages[index]!.seq === seq + 1) {
    seq += 1
    index += 1
  }
  return seq
}

/**
 * Adds messages (any order, duplicates allowed) and returns a new timeline, or the same one when
 * nothing changed so that subscribers are not woken for a duplicate. A message that conflicts
 * with one held (see `conflict`) is left out.
 */
export function insertMessages(timeline: Timeline, incoming: readonly WireMessage[]): Timeline {
  let messages: WireMessage[] | undefined
  let appendedOnly = true
  const ids = indexOf(timeline)
  for (const message of incoming) {
    const list: readonly WireMessage[] = messages ?? timeline.messages
    const { found, index } = findIndexBySeq(list, message.seq)
    if (found) {
      const current = list[index]!
      const kept = current.id === message.id ? merge(current, message) : current
      if (kept === current) continue
      messages ??= timeline.messages.slice()
      messages[index] = kept
      appendedOnly = false
    } else {
      if (seqOfId(list, ids, message.id) !== undefined) continue
      messages ??= timeline.messages.slice()
      if (index === messages.length) messages.push(message)
      else {
        messages.splice(index, 0, message)
        appendedOnly = false
      }
      const seqs = ids.get(message.id)
      if (!seqs) ids.set(message.id, [message.seq])
      else if (!seqs.includes(message.seq)) seqs.push(message.seq)
    }
  }
  if (!messages) return timeline
  const first = messages[0]
  // A timeline that was empty starts its gap-free run just before its first message.
  const start = timeline.contiguousSeq ?? (first ? first.seq - 1 : undefined)
  const appendChain = appendedOnly ? (timeline.appendChain ?? {}) : {}
  return { ...timeline, messages, contiguousSeq: contiguousFrom(messages, start), ids, appendChain }
}

/**
 * Records the answer to a join: the newest page (first join) or what was missed (rejoin).
 * `hasOlder` is only known from a first join; a rejoin keeps what the timeline knew.
 */
export function applyJoin(
  timeline: Timeline,
  messages: readonly WireMessage[],
  firstJoin: { hasOlder: boolean } | undefined,
): Timeline {
  if (firstJoin) {
    const base: Timeline = {
      messages: [],
      contiguousSeq: messages.length ? messages[0]!.seq - 1 : 0,
      hasOlder: firstJoin.hasOlder,
    }
    return insertMessages(base, messages)
  }
  return insertMessages(timeline, messages)
}

/**
 * Applies changed messages (edits, deletes) to the messages held; a change to a message not held
 * is left for when that message is loaded, which brings it as it is now.
 */
export function applyChanges(timeline: Timeline, changed: readonly WireMessage[]): Timeline {
  const held = changed.filter((message) => {
    const { found, index } = findIndexBySeq(timeline.messages, message.seq)
    return found && timeline.messages[index]!.id === message.id
  })
  return held.length ? insertMessages(timeline, held) : timeline
}

/** Adds an older page loaded by scrolling back. */
export function prependOlder(timeline: Timeline, older: readonly WireMessage[], hasOlder: boolean): Timeline {
  const next = insertMessages(timeline, older)
  return next.hasOlder === hasOlder && next === timeline ? timeline : { ...next, hasOlder }
}

/** True when a live message lies beyond the gap-free run, so the messages between must be fetched. */
export function hasGap(timeline: Timeline): boolean {
  const last = timeline.messages[timeline.messages.length - 1]
  return last !== undefined && timeline.contiguousSeq !== undefined && last.seq > timeline.contiguousSeq
}

export function latestSeq(timeline: Timeline): number {
  return timeline.messages[timeline.messages.length - 1]?.seq ?? timeline.contiguousSeq ?? 0
}

export function findByClientId(timeline: Timeline, clientId: string): WireMessage | undefined {
  // Own messages are near the end almost always; search backwards.
  for (let i = timeline.messages.length - 1; i >= 0; i--) {
    if (timeline.messages[i]!.clientId === clientId) return timeline.messages[i]
  }
  return undefined
}
