/**
 * What a UI shows: confirmed messages in server order followed by the user's unconfirmed ones in
 * send order, each with its delivery status. Pure, with object identity kept for messages whose
 * content and status did not change, so a UI can skip re-rendering them.
 */
import { firstIndexAbove, type Attachment, type Author, type MessageDelivery, type Reaction, type Role, type Watermarks, type WireError, type WireMessage } from '../../protocol'
import type { OutboxEntry } from '../outbox/outbox'
import type { UploadProgress } from '../outbox/uploader'
import type { ReactionIntent } from '../room/reactions'
import type { Timeline } from '../room/timeline'
import { withPendingReactions } from './pending-reactions'

export type MessageStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed'

export interface ChatMessage {
  /** The client-made id; stable from the optimistic copy to the confirmed one. Use it as a key. */
  clientId: string
  /** Server id; absent until the server has the message. */
  id?: string
  /** Position in the room; absent until the server has the message. */
  seq?: number
  roomId?: string
  author: Author
  text: string
  createdAt: number
  editedAt?: number
  deleted?: boolean
  /** For the user's own messages: how far it got. For others' messages: whether the user has read it. */
  status: MessageStatus
  /** Written by the user of this client. */
  own: boolean
  /** Why the server refused it; only when `status` is `failed`. */
  error?: WireError
  /**
   * The file sent with it. An unsent message's file has no `id` until the server has it; its
   * bytes are read with `readFile`.
   */
  attachment?: ChatAttachment
  /** The user's own unsent file as it goes up: 0 to 1 (absent while it waits to start). */
  progress?: number
  /** Emoji reactions, the user's own included at once (before the server has answered). */
  reactions?: readonly Reaction[]
  /** A message that goes out on another channel (WhatsApp): how far it got there. */
  delivery?: MessageDelivery
}

/** A message's file: what the server stored, or (unsent) what was chosen. */
export type ChatAttachment = Omit<Attachment, 'id'> & { id?: string }

const otherRole = (role: Role): Role => (role === 'visitor' ? 'agent' : 'visitor')

/** A confirmed message's status, from the watermarks of the side that receives it. */
export function confirmedStatus(message: WireMessage, watermarks: Watermarks): MessageStatus {
  const receiver = watermarks[otherRole(message.author.role)]
  if (receiver.read >= message.seq) return 'read'
  if (receiver.delivered >= message.seq) return 'delivered'
  return 'sent'
}

export interface MessageViewCache {
  /** The last views of unconfirmed messages, in outbox order. */
  pending: ChatMessage[]
  /** Views handed out before the list was next built (`send` returns one): the list uses them. */
  promised: Map<string, ChatMessage>
  /** The last confirmed part built, and what it was built from. */
  last?: { messages: readonly WireMessage[]; appendChain: object | undefined; watermarks: Watermarks; meId: string; views: ChatMessage[] }
  /** The last whole list, and its two parts. */
  list?: { confirmed: ChatMessage[]; pending: ChatMessage[]; whole: ChatMessage[] }
  /** Set when the last build found `to` to be `from` with messages added at its end. */
  grown?: { from: readonly WireMessage[]; to: readonly WireMessage[] }
  /** The last unread count, and what it was counted from. */
  unread?: { messages: readonly WireMessage[]; readUpTo: number; role: Role; count: number }
  /** The confirmed views with the user's pending reactions laid over them, and what they were made from. */
  overlaid?: { views: ChatMessage[]; intents: readonly ReactionIntent[]; meId: string; result: ChatMessage[] }
}

export const createMessageViewCache = (): MessageViewCache => ({ pending: [], promised: new Map() })

/** The view an unconfirmed message will have in the next list, without building the list. */
export function promisePendingView(entry: OutboxEntry, me: Author, cache: MessageViewCache): ChatMessage {
  const view = viewPending(entry, me, undefined, undefined)
  cache.promised.set(entry.clientId, view)
  return view
}

/** Seqs whose status can differ between two sets of watermarks: (low, high] per moved mark. */
function movedRanges(a: Watermarks, b: Watermarks): [number, number][] {
  const ranges: [number, number][] = []
  for (const role of ['visitor', 'agent'] as const) {
    for (const kind of ['delivered', 'read'] as const) {
      const x = a[role][kind]
      const y = b[role][kind]
      if (x !== y) ranges.push([Math.min(x, y), Math.max(x, y)])
    }
  }
  return ranges
}

const bySeq = (message: WireMessage): number => message.seq

/**
 * The confirmed part of the list. Most events change little: a receipt moves a watermark (only
 * the messages it passed change status), a new message lands at the end. Those are rebuilt in
 * proportion to the change, not to the length of the conversation.
 */
function confirmedViews(timeline: Timeline, watermarks: Watermarks, me: Author, cache: MessageViewCache): ChatMessage[] {
  const { messages, appendChain } = timeline
  const last = cache.last
  let views: ChatMessage[]
  if (last && last.meId === me.id && (last.messages === messages || (appendChain !== undefined && appendChain === last.appendChain) || extendsAtEnd(last.messages, messages))) {
    if (last.messages === messages && last.watermarks === watermarks) return last.views
    views = last.views.slice()
    cache.grown = last.messages === messages ? undefined : { from: last.messages, to: messages }
    // The messages held before: only those a moved watermark passed change status.
    const held = last.messages.length
    if (last.watermarks !== watermarks) {
      for (const [low, high] of movedRanges(last.watermarks, watermarks)) {
        for (let i = firstIndexAbove(messages, low, bySeq); i < held && messages[i]!.seq <= high; i++) {
          views[i] = viewConfirmed(messages[i]!, watermarks, me, views[i])
        }
      }
    }
    for (let i = held; i < messages.length; i++) views.push(viewConfirmed(messages[i]!, watermarks, me, undefined))
  } else {
    cache.grown = undefined
    // Rebuilt whole (an edit, older history, a gap filled): a message still held keeps its view
    // object while its status is the same, so the UI does not redraw it.
    const before = new Map<WireMessage, ChatMessage>()
    if (last && last.meId === me.id) last.messages.forEach((message, i) => before.set(message, last.views[i]!))
    views = messages.map((message) => viewConfirmed(message, watermarks, me, before.get(message)))
  }
  cache.last = { messages, appendChain, watermarks, meId: me.id, views }
  return views
}

/** True when `next` is `previous` with messages added after its end (the usual live append). */
function extendsAtEnd(previous: readonly WireMessage[], next: readonly WireMessage[]): boolean {
  if (next.length < previous.length) return false
  for (let i = previous.length - 1; i >= 0; i--) if (previous[i] !== next[i]) return false
  return true
}

/** The view of a confirmed message: `held` (its view so far) while its status is the same. */
function viewConfirmed(message: WireMessage, watermarks: Watermarks, me: Author, held: ChatMessage | undefined): ChatMessage {
  const status = confirmedStatus(message, watermarks)
  if (held && held.status === status) return held
  // Written out rather than spread, so every view has one shape.
  const { clientId, id, seq, roomId, author, text, createdAt, editedAt, deleted, attachment, reactions } = message
  const view: ChatMessage = { clientId, id, seq, roomId, author, text, createdAt, status, own: author.id === me.id }
  if (editedAt !== undefined) view.editedAt = editedAt
  if (deleted !== undefined) view.deleted = deleted
  if (attachment) view.attachment = attachment
  if (reactions) view.reactions = reactions
  if (message.delivery !== undefined) view.delivery = message.delivery
  return view
}

/**
 * The view of an unconfirmed message: `held` while what it shows is the same. An entry changes
 * in ways nobody sees (which socket is carrying it), so views are kept by content, not by entry.
 */
function viewPending(entry: OutboxEntry, me: Author, held: ChatMessage | undefined, progress: number | undefined): ChatMessage {
  if (
    held &&
    held.author.id === me.id &&
    held.text === entry.text &&
    held.status === entry.state &&
    held.error === entry.error &&
    held.roomId === entry.roomId &&
    held.progress === progress &&
    held.attachment?.id === entry.file?.uploaded?.id
  ) {
    return held
  }
  const view: ChatMessage = {
    clientId: entry.clientId,
    author: me,
    text: entry.text,
    createdAt: entry.createdAt,
    status: entry.state,
    own: true,
  }
  if (entry.roomId !== undefined) view.roomId = entry.roomId
  if (entry.error) view.error = entry.error
  if (entry.file) {
    const { uploaded, name, type, size, width, height } = entry.file
    view.attachment = uploaded ?? { name, type, size, ...(width !== undefined && { width }), ...(height !== undefined && { height }) }
  }
  if (progress !== undefined) view.progress = progress
  return view
}

/**
 * The views of unconfirmed messages, each kept from `before` while what it shows is the same.
 * The outbox keeps its order (entries join at the end, leave from anywhere), so the views before
 * are walked once alongside it; an entry not found further on is new.
 */
function pendingViews(outbox: readonly OutboxEntry[], me: Author, cache: MessageViewCache, progress: UploadProgress | undefined): ChatMessage[] {
  const before = cache.pending
  const views = new Array<ChatMessage>(outbox.length)
  let j = 0
  for (let i = 0; i < outbox.length; i++) {
    const entry = outbox[i]!
    let k = j
    while (k < before.length && before[k]!.clientId !== entry.clientId) k++
    let held = before[k]
    if (held) j = k + 1
    else held = cache.promised.get(entry.clientId)
    views[i] = viewPending(entry, me, held, progress?.clientId === entry.clientId ? progress.fraction : undefined)
  }
  cache.promised.clear()
  return views
}

/** What the user has under way besides unsent messages: a file going up, reactions not yet confirmed. */
export interface UnderWay {
  progress?: UploadProgress | undefined
  intents?: readonly ReactionIntent[]
}

export function buildMessageList(
  timeline: Timeline,
  outbox: readonly OutboxEntry[],
  watermarks: Watermarks,
  me: Author,
  cache: MessageViewCache,
  underWay: UnderWay = {},
): ChatMessage[] {
  const confirmed = withPendingReactions(confirmedViews(timeline, watermarks, me, cache), underWay.intents ?? [], me, cache)
  const pending = pendingViews(outbox, me, cache, underWay.progress)
  cache.pending = pending
  // The same list object when nothing changed, so a caller can tell with one comparison.
  const previous = cache.list
  if (previous && previous.confirmed === confirmed && sameItems(previous.pending, pending)) return previous.whole
  const whole = pending.length === 0 ? confirmed : confirmed.concat(pending)
  cache.list = { confirmed, pending, whole }
  return whole
}

function sameItems(a: readonly ChatMessage[], b: readonly ChatMessage[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i])
}

/**
 * Messages from the other side that this side has not read yet. With the cache of the list just
 * built, a live append is counted in proportion to what was added, not to the conversation.
 */
export function countUnread(timeline: Timeline, watermarks: Watermarks, role: Role, cache?: MessageViewCache): number {
  const { messages } = timeline
  const readUpTo = watermarks[role].read
  const held = cache?.unread
  const same = held !== undefined && held.readUpTo === readUpTo && held.role === role
  if (same && held.messages === messages) return held.count
  let count: number
  if (same && cache?.grown?.from === held.messages && cache.grown.to === messages) {
    count = held.count + unreadAfter(messages, held.messages.length, readUpTo, role)
  } else {
    count = unreadAfter(messages, 0, readUpTo, role)
  }
  if (cache) cache.unread = { messages, readUpTo, role, count }
  return count
}

/** Unread messages from the other side at `from` or later in `messages`. */
function unreadAfter(messages: readonly WireMessage[], from: number, readUpTo: number, role: Role): number {
  let count = 0
  for (let i = messages.length - 1; i >= from; i--) {
    const message = messages[i]!
    if (message.seq <= readUpTo) break
    if (message.author.role !== role && !message.deleted) count++
  }
  return count
}
