/**
 * The wire vocabulary shared by the core client and the reference server.
 * Everything here is plain data: it crosses a socket as JSON.
 */
import type { SiteInfo, VisitorContact } from './site-types'

export type * from './site-types'
export type * from './event-types'

export type Role = 'visitor' | 'agent'

export interface Author {
  id: string
  role: Role
  name?: string
  /** Identified visitors: the e-mail their site vouched for. */
  email?: string
}

/**
 * A visitor the site has identified. `userHash` is the hex HMAC-SHA256 of `userId` under the
 * server's `identitySecret`, computed by the site's backend; the server refuses it otherwise.
 */
export interface VisitorIdentity {
  userId: string
  userHash: string
  name?: string
  email?: string
}

/**
 * A file sent with a message: uploaded over HTTP first (`POST /api/files/:roomId`), then named
 * by `send_message`'s `attachmentId`. Read it with `GET /api/files/:roomId/:id`.
 */
export interface Attachment {
  /** Server-assigned; unique within the room. */
  id: string
  /** The name it was sent with (shown, never used as a path). */
  name: string
  /** The type the server found in the content, one of the server's allowed `uploads.types`. */
  type: string
  /** Bytes. */
  size: number
  /** Images: their size in pixels, so a viewer can reserve the space before the image loads. */
  width?: number
  height?: number
}

/** Who reacted to a message with one emoji. */
export interface Reaction {
  emoji: string
  /** The ids of the users who did, in the order they did; each user at most once. */
  by: readonly string[]
}

/** A message as the server stores it. Timestamps are milliseconds since the epoch. */
export interface WireMessage {
  /** Server-assigned, unique across the server. */
  id: string
  /** Client-made idempotency key: the server stores each `(roomId, clientId)` once. */
  clientId: string
  roomId: string
  /** Per-room sequence number: 1, 2, 3, … in server order, never reused. */
  seq: number
  author: Author
  text: string
  createdAt: number
  editedAt?: number
  /** A deleted message stays in the timeline as a tombstone with empty text (and no file or reactions). */
  deleted?: boolean
  /** A file sent with the message; its `text` is then a caption and may be empty. */
  attachment?: Attachment
  /** Emoji reactions, in the order each emoji was first used; absent when there are none. */
  reactions?: readonly Reaction[]
  /**
   * Set once the message has been edited, deleted or reacted to: the room's change number of its
   * latest change. Change numbers count 1, 2, 3, … per room, so a client that saw changes up to N asks
   * `get_changes` for what came after N and misses none.
   */
  changeSeq?: number
  /** Messages that go out through another channel (an agent's reply on WhatsApp): how far they got there. */
  delivery?: MessageDelivery
}

/** Where a conversation's visitor writes from besides the web widget (which has no channel). */
export const CHANNELS = ['whatsapp'] as const
export type Channel = (typeof CHANNELS)[number]

/**
 * How far a message got on its channel. Absent while the server is still handing it over (and
 * retrying); `sent` once the channel took it (its delivered and read marks then arrive as
 * watermarks); `failed` when the channel refused it, with the channel's reason.
 */
export interface MessageDelivery {
  channel: Channel
  status: 'sent' | 'failed'
  /** With `failed`: why, in the channel's words. */
  error?: string
}

/** What a conversation list shows of a message: its start, never the whole text. */
export interface MessagePreview {
  seq: number
  author: Author
  /** At most `PREVIEW_LENGTH` characters of the text; empty for a deleted message. */
  text: string
  createdAt: number
  editedAt?: number
  deleted?: boolean
  /** The message's file, so a list can say "photo.jpg" for a message without text. */
  attachment?: Attachment
}

export type ConversationStatus = 'open' | 'pending' | 'closed'

/**
 * How far one side of a room has received (`delivered`) and read (`read`) the other side's
 * messages, as the highest `seq` covered. Watermarks only move forward.
 */
export interface Watermark {
  delivered: number
  read: number
}

/** Keyed by the role that received/read: `visitor` says how far the visitor has seen agent messages. */
export type Watermarks = Record<Role, Watermark>

export interface PresenceUser {
  userId: string
  role: Role
  name?: string
  /** When the user's first live connection joined the room (ms epoch). */
  joinedAt: number
}

export interface Presence {
  users: Record<string, PresenceUser>
  visitorConnected: boolean
  agentConnected: boolean
  totalVisitor: number
  totalAgent: number
}

/** A page a visitor opened: what agents see of where the visitor is. */
export interface PageVisit {
  url: string
  title?: string
  at: number
}

/**
 * What the visitor's browser says about the visitor, for agents to see beside the conversation.
 * Reported by the widget, not verified: never a basis for a decision. Sizes are bounded
 * (`CONTEXT_LIMITS`), so conversation lists stay small.
 */
export interface VisitorContext {
  /** The page the visitor is on now. */
  page?: PageVisit
  /** Pages opened in this browsing session, oldest first. */
  pages?: PageVisit[]
  referrer?: string
  /** BCP 47, e.g. `id-ID`. */
  locale?: string
  /** IANA, e.g. `Asia/Jakarta`. */
  timeZone?: string
  userAgent?: string
  /** When this browser first opened a page with the widget. */
  firstSeenAt?: number
  /** How many visits (browsing sessions) this browser has made, this one included. */
  visits?: number
}

export interface Conversation {
  roomId: string
  /** Set when the visitor writes from elsewhere than the widget (`whatsapp`); absent for the widget. */
  channel?: Channel
  visitor: Author
  status: ConversationStatus
  /** The agent the conversation is assigned to; absent when nobody is. */
  assignee?: Author
  /** What the visitor's browser last reported (see `VisitorContext`). */
  context?: VisitorContext
  /** What the visitor told the team (pre-chat form, away e-mail). */
  contact?: VisitorContact
  /** Highest seq in the room (0 when empty). */
  lastSeq: number
  /** Highest change number in the room (0 before the first edit, delete or reaction). */
  lastChangeSeq: number
  lastMessage?: MessagePreview
  watermarks: Watermarks
  /**
   * Messages from the other side that this role has not read yet (`seq` above its read watermark).
   * `agent` counts above the team's mark (any agent's read); an agent's own count is
   * `visitorMessages - readByMe.visitorMessages` (see `readByMe`).
   */
  unread: Record<Role, number>
  /**
   * How many messages the visitor has written in the room (deleted ones included). Always sent by
   * this server; a server without agents' own read marks may leave it out.
   */
  visitorMessages?: number
  /**
   * Only in answers to one agent (`list_conversations`, an agent's `join_room`): that agent's own
   * read mark, present once the agent has opened the conversation; later raises come as `agent_read`.
   */
  readByMe?: AgentRead
  presence: Presence
  /**
   * When the conversation was created; 0 while a visitor's conversation has no message yet (it
   * is created by the first one). A different `createdAt` for the same room means the server lost
   * the conversation it had and started over.
   */
  createdAt: number
  updatedAt: number
}

/** One agent's own read mark in a room: the highest `seq` it read and how many visitor messages are at or below it. */
export interface AgentRead {
  upToSeq: number
  visitorMessages: number
}

/** An agent's own read mark rose (sent to that agent's sockets only, on every node). */
export interface AgentReadUpdate extends AgentRead {
  roomId: string
}

/** Every error code the protocol has; README "The protocol" says what each means. */
export const ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'too_long',
  'too_large',
  'unsupported_type',
  'rate_limited',
  'unsupported_version',
  'internal',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export interface WireError {
  code: ErrorCode
  message: string
  /** With `rate_limited`: wait this long before sending that kind of request again. */
  retryAfterMs?: number
}

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: WireError }

/** What a client puts in the socket.io handshake (`auth`). */
export interface HandshakeAuth {
  /** Protocol version the client speaks. */
  v: number
  role: Role
  /** Visitors: the id the server issued earlier, to resume the same conversation. */
  visitorId?: string
  /** Visitors: the `visitorToken` issued with `visitorId`. Agents: a credential the server verifies. */
  token?: string
  name?: string
  /** Visitors: who the site says this is; refused identities leave the visitor anonymous. */
  identity?: VisitorIdentity
  /** Visitors: where the visitor is (the page, the browser); shown to agents. */
  context?: VisitorContext
  /** Visitors: what the visitor told the team (kept with the conversation; see `update_contact`). */
  contact?: VisitorContact
}

/** First event a server sends on every connection. */
export interface SessionInfo {
  user: Author
  /**
   * Visitors: a credential for `user.id`, to send back as `auth.token` with `auth.visitorId` on
   * every later connection. Knowing a visitor id alone is not enough to resume its conversation.
   */
  visitorToken?: string
  /** Visitors: their own conversation. Agents: absent. */
  roomId?: string
  /** Server's heartbeat period in ms; the client treats a silence longer than this plus a grace as a dead link. */
  heartbeatMs: number
  /** Longest message text the server accepts. */
  maxTextLength: number
  /** Set when the handshake's `identity` was refused; the session is then anonymous. */
  identityError?: WireError
  /** Visitors: the site's availability, pre-chat form and away settings. */
  site?: SiteInfo
  /** What files this server accepts; absent when it accepts none. */
  uploads?: UploadLimits
  /** The emoji this server accepts as reactions; absent when reactions are off. */
  reactions?: string[]
}

/** The files a server accepts (`session.uploads`); it checks them again, by their content. */
export interface UploadLimits {
  /** Largest file, in bytes. */
  maxBytes: number
  /** Allowed types (MIME names), a subset of `UPLOAD_TYPES`. */
  types: string[]
}
