/**
 * What a UI shows: confirmed messages in server order followed by the user's unconfirmed ones in
 * send order, each with its delivery status. Pure, with object identity kept for messages whose
 * content and status did not change, so a UI can skip re-rendering them.
 */
import type { Author, Role, Watermarks, WireError, WireMessage } from '../protocol'
import type { OutboxEntry } from './outbox'
import type { Timeline } from './timeline'

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
}

const otherRole = (role: Role): Role => (role === 'visitor' ? 'agent' : 'visitor')

/** A confirmed message's status, from the watermarks of the side that receives it. */
export function confirmedStatus(message: WireMessage, watermarks: Watermarks): MessageStatus {
  const receiver = watermarks[otherRole(message.author.role)]
  if (receiver.read >= message.seq) return 'read'
  if (receiver.delivered >= message.seq) return 'delivered'
  return 'sent'
}

export interface MessageViewCache {
  confirmed: WeakMap<WireMessage, ChatMessage>
  pending: WeakMap<OutboxEntry, ChatMessage>
}

export const createMessageViewCache = (): MessageViewCache => ({ confirmed: new WeakMap(), pending: new WeakMap() })

function viewConfirmed(message: WireMessage, watermarks: Watermarks, me: Author | undefined, cache: MessageViewCache): ChatMessage {
  const status = confirmedStatus(message, watermarks)
  const cached = cache.confirmed.get(message)
  if (cached && cached.status === status) return cached
  const view: ChatMessage = { ...message, status, own: me !== undefined && message.author.id === me.id }
  cache.confirmed.set(message, view)
  return view
}

function viewPending(entry: OutboxEntry, me: Author, cache: MessageViewCache): ChatMessage {
  const cached = cache.pending.get(entry)
  if (cached && cached.author.id === me.id) return cached
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
  cache.pending.set(entry, view)
  return view
}

export function buildMessageList(
  timeline: Timeline,
  outbox: readonly OutboxEntry[],
  watermarks: Watermarks,
  me: Author,
  cache: MessageViewCache,
): ChatMessage[] {
  const list = timeline.messages.map((message) => viewConfirmed(message, watermarks, me, cache))
  for (const entry of outbox) list.push(viewPending(entry, me, cache))
  return list
}

/** Messages from the other side that this side has not read yet. */
export function countUnread(timeline: Timeline, watermarks: Watermarks, role: Role): number {
  const readUpTo = watermarks[role].read
  let count = 0
  for (let i = timeline.messages.length - 1; i >= 0; i--) {
    const message = timeline.messages[i]!
    if (message.seq <= readUpTo) break
    if (message.author.role !== role && !message.deleted) count++
  }
  return count
}
