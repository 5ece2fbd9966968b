/**
 * Where the reference server keeps conversations and messages. Every method is async so that a
 * networked store (Redis, SQL) fits the same contract as the in-memory one.
 *
 * Rules every store keeps (`test/server/store-contract.ts` checks them):
 * - `appendMessage` is atomic: two concurrent calls never get the same `seq`, and a repeated
 *   `(roomId, clientId)` returns the message stored the first time.
 * - `updateMessage` and `setReaction` take the room's next change number atomically, likewise;
 *   `setReaction` takes none when the reaction was already as asked (it is idempotent).
 * - Not found is one behaviour: lookups (`getConversation`, `getSummary`, `getMessage`,
 *   `findVisitorConversation`) resolve to `undefined`; every other method called for a room that
 *   does not exist rejects with `NotFoundError`.
 * - What a store hands out is read-only for the caller: a fresh copy or the stored record itself,
 *   frozen; either way changing it must not change what is stored.
 * - Stores mint no ids: room and message ids come from the server (`ids.ts`).
 * - Search matches words: every word of the query must begin a word of the message, ignoring
 *   case ("deliv" finds "Delivery"). Words are runs of letters and digits; how an engine splits
 *   punctuated text (e-mail addresses, URLs) may differ a little between stores.
 */
import type { AgentRead, Attachment, Author, ConversationStatus, MessageDelivery, Role, VisitorContact, VisitorContext, Watermarks, WireMessage } from '../protocol'

/** A conversation as stored: the live parts (presence) are added by the server. */
export interface StoredConversation {
  roomId: string
  visitor: Author
  status: ConversationStatus
  /** The agent the conversation is assigned to. */
  assignee?: Author
  /** What the visitor's browser last reported. */
  context?: VisitorContext
  /** What the visitor told the team (pre-chat form, away e-mail). */
  contact?: VisitorContact
  lastSeq: number
  /** The room's change counter: edits and deletes take the next number. */
  lastChangeSeq: number
  lastMessage?: WireMessage
  watermarks: Watermarks
  createdAt: number
  updatedAt: number
}

/** A conversation with its unread counts, read together: what lists and announcements need. */
export interface ConversationSummary extends StoredConversation {
  /** Messages from the other side above each role's read watermark (tombstones included). */
  unread: Record<Role, number>
  /** The visitor's messages in the room (tombstones included): an agent's own unread is this minus its read mark's count. */
  visitorMessages: number
}

/** An agent's own read mark after a raise, and whether the raise changed it (or made it). */
export interface AgentReadResult extends AgentRead {
  changed: boolean
}

/** Where a page of the list ends: the next page starts after it. */
export interface ListPosition {
  updatedAt: number
  createdAt: number
  roomId: string
}

export interface ConversationQuery {
  /** Most summaries returned; newest `updatedAt` first (ties: newer `createdAt`, then roomId). */
  limit: number
  status?: ConversationStatus
  /** An agent id: assigned to that agent; `null`: assigned to nobody. */
  assigneeId?: string | null
  /** Only conversations after this one in the list's order. */
  after?: ListPosition
}

export interface NewMessage {
  roomId: string
  clientId: string
  author: Author
  text: string
  createdAt: number
  /** A file sent with the message (its bytes are in the server's file store). */
  attachment?: Attachment
}

export interface AppendResult {
  message: WireMessage
  /** False when `(roomId, clientId)` was stored before and `message` is that earlier copy. */
  created: boolean
}

/**
 * An edit (new text and `editedAt`), a delete (empty text and `deleted: true`; the file and reactions go too), or news from the
 * channel the message went out on (`delivery`, which replaces the one before and leaves the text).
 */
export type MessagePatch =
  | { text: string; editedAt: number; deleted?: never; delivery?: never }
  | { text: ''; deleted: true; editedAt?: never; delivery?: never }
  | { delivery: MessageDelivery; text?: never; editedAt?: never; deleted?: never }

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

export interface SearchQuery {
  /** What to look for; only its words (letters and digits) count. No words: nothing is found. */
  text: string
  /** Most messages returned, newest `createdAt` first (ties: room id, then seq, descending). */
  limit: number
  /** Only messages created before this time (ms), to page on from the oldest one returned. */
  before?: number
}

export interface Store {
  /** The visitor's conversation, or undefined before the visitor's first message. */
  findVisitorConversation(visitorId: string): Promise<StoredConversation | undefined>
  /**
   * The visitor's conversation, created as `roomId` when the visitor has none. Atomic: of two
   * racing calls (on any node) both get the same conversation. One conversation per visitor id.
   */
  openVisitorConversation(visitor: Author, roomId: string, now: number): Promise<StoredConversation>
  getConversation(roomId: string): Promise<StoredConversation | undefined>
  getSummary(roomId: string): Promise<ConversationSummary | undefined>
  listConversations(query: ConversationQuery): Promise<ConversationSummary[]>
  /** Assigns the next `seq`; idempotent by `(roomId, clientId)`. */
  appendMessage(input: NewMessage, id: string): Promise<AppendResult>
  getMessage(roomId: string, id: string): Promise<WireMessage | undefined>
  /**
   * Applies the patch, stamps the room's next change number as `changeSeq` and returns the
   * message as it is now; `undefined` when the room has no message `id`.
   */
  updateMessage(roomId: string, id: string, patch: MessagePatch): Promise<WireMessage | undefined>
  getMessages(roomId: string, query: PageQuery): Promise<MessagePage>
  /** Messages whose `changeSeq` is above `afterChangeSeq`, in change order. */
  getChanges(roomId: string, afterChangeSeq: number, limit: number): Promise<MessagePage>
  /** Raises one watermark (never lowers it, never past lastSeq) and returns all of them. */
  raiseWatermark(roomId: string, role: Role, kind: 'delivered' | 'read', upToSeq: number): Promise<Watermarks>
  setStatus(roomId: string, status: ConversationStatus, now: number): Promise<StoredConversation>
  /** Assigns the conversation to an agent, or to nobody (`undefined`); activity order is unchanged. */
  setAssignee(roomId: string, assignee: Author | undefined): Promise<StoredConversation>
  /** Replaces what the visitor's browser reported. */
  setContext(roomId: string, context: VisitorContext): Promise<void>
  /** Messages whose text matches the query's words, across every conversation; tombstones never match. */
  searchMessages(query: SearchQuery): Promise<WireMessage[]>
  /**
   * Deletes every conversation that is `closed` and was last updated before `cutoff` (ms), with
   * its messages and its visitor's link to it, and returns the deleted room ids.
   */
  deleteClosedBefore(cutoff: number): Promise<string[]>
  /** Releases connections; the memory store has nothing to release. */
  close(): Promise<void>
  /**
   * Raises one agent's own read mark in a room (never lowers it, never past lastSeq) and returns
   * it with the number of visitor messages at or below it. A first call makes the mark (at 0 when
   * `upToSeq` is 0: the agent opened the room). Marks go with their room when it is deleted.
   */
  raiseAgentRead(roomId: string, agentId: string, upToSeq: number): Promise<AgentReadResult>
  /** The agent's own read marks in these rooms; rooms it never opened, and unknown rooms, are absent. */
  getAgentReads(agentId: string, roomIds: readonly string[]): Promise<Map<string, AgentRead>>
  /**
   * Adds (`on`) or takes back `userId`'s `emoji` on message `id` (`withReaction`), stamping the
   * room's next change number when that changes anything. `undefined` when the room has no
   * message `id`.
   */
  setReaction(roomId: string, id: string, reaction: ReactionChange): Promise<ReactionResult | undefined>
  /** Replaces what the visitor told the team about itself. */
  setContact(roomId: string, contact: VisitorContact): Promise<void>
  /**
   * Raises the room's follow-up mark (the highest seq already e-mailed to the visitor) to
   * `upToSeq`. Atomic: of racing calls (on any node) only one raises it. Resolves to the mark
   * before, when this call raised it, and to `undefined` when the mark was already there.
   */
  claimFollowUp(roomId: string, upToSeq: number): Promise<number | undefined>
}

export interface ReactionChange {
  userId: string
  emoji: string
  on: boolean
}

export interface ReactionResult {
  /** The message as it is now. */
  message: WireMessage
  /** False when the reaction was already as asked and nothing was stored. */
  changed: boolean
}

/** A store was asked to change or page through a room it does not have. */
export class NotFoundError extends Error {
  constructor(what: string) {
    super(`No ${what}`)
    this.name = 'NotFoundError'
  }
}
