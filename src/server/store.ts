/**
 * Where the reference server keeps conversations and messages. Every method is async so that a
 * networked store (Redis) fits the same contract as the in-memory one. Implementations must make
 * `appendMessage` atomic: two concurrent calls never get the same `seq`, and a repeated
 * `(roomId, clientId)` returns the message stored the first time. What a store hands out is
 * read-only for the caller: it may be a fresh copy (Redis) or the stored record itself, frozen
 * (memory), and either way changing it must not change what is stored.
 */
import type { Author, ConversationStatus, Role, Watermarks, WireMessage } from '../protocol'

/** A conversation as stored: the live parts (presence, unread counts) are computed by the server. */
export interface StoredConversation {
  roomId: string
  visitor: Author
  status: ConversationStatus
  lastSeq: number
  lastMessage?: WireMessage
  watermarks: Watermarks
  /**
   * Messages authored by each role, in total. Not enough on its own for unread counts once the two
   * sides' messages interleave; those come from `Store.countAuthoredAfter`.
   */
  authored: Record<Role, number>
  createdAt: number
  updatedAt: number
}

export interface NewMessage {
  roomId: string
  clientId: string
  author: Author
  text: string
  createdAt: number
}

export interface AppendResult {
  message: WireMessage
  /** False when `(roomId, clientId)` was stored before and `message` is that earlier copy. */
  created: boolean
}

export interface MessagePage {
  messages: WireMessage[]
  hasMore: boolean
}

export interface PageQuery {
  /** Forward: messages with seq > afterSeq, oldest first. */
  afterSeq?: number
  /**
   * Backward: messages with seq < beforeSeq (newest page when both are absent), oldest first.
   * With both, the page lies between them and is taken forwards from afterSeq.
   */
  beforeSeq?: number
  limit: number
}

export interface Store {
  /** The visitor's conversation, created on first call. One conversation per visitor id. */
  conversationForVisitor(visitor: Author, now: number): Promise<StoredConversation>
  getConversation(roomId: string): Promise<StoredConversation | undefined>
  /** Newest `updatedAt` first. */
  listConversations(limit: number): Promise<StoredConversation[]>
  /** Assigns `id` and the next `seq` atomically; idempotent by `(roomId, clientId)`. */
  appendMessage(input: NewMessage, newId: string): Promise<AppendResult>
  getMessage(roomId: string, id: string): Promise<WireMessage | undefined>
  /** Replaces text/editedAt/deleted of a stored message and returns it; undefined when absent. */
  updateMessage(
    roomId: string,
    id: string,
    patch: Pick<WireMessage, 'text'> & Partial<Pick<WireMessage, 'editedAt' | 'deleted'>>,
  ): Promise<WireMessage | undefined>
  getMessages(roomId: string, query: PageQuery): Promise<MessagePage>
  /**
   * How many messages `role` authored in the room with seq > afterSeq (tombstones included, so
   * the count depends on seq alone). Unread for one side is the other side's count above its read
   * watermark.
   */
  countAuthoredAfter(roomId: string, role: Role, afterSeq: number): Promise<number>
  /** Raises one watermark (never lowers it, never past lastSeq) and returns all of them. */
  raiseWatermark(roomId: string, role: Role, kind: 'delivered' | 'read', upToSeq: number): Promise<Watermarks>
  setStatus(roomId: string, status: ConversationStatus, now: number): Promise<StoredConversation | undefined>
  /** Releases connections; the memory store has nothing to release. */
  close(): Promise<void>
}
