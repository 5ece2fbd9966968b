/**
 * What the handshake, the event handlers and the REST routes share: the typed socket.io server,
 * the store, presence, the settings in force, and how a stored conversation becomes the wire one.
 */
import type { IncomingHttpHeaders } from 'node:http'
import type { DefaultEventsMap, Server, Socket } from 'socket.io'
import { PREVIEW_LENGTH, truncate } from '../protocol'
import type {
  AgentRead,
  Author,
  ClientToServerEvents,
  Conversation,
  MessagePreview,
  Presence,
  ServerToClientEvents,
  UploadLimits,
  VisitorContact,
  VisitorContext,
  WireError,
  WireMessage,
} from '../protocol'
import type { Accounts } from './accounts/accounts'
import { channelOf } from './channels'
import type { Announcements } from './announcements'
import type { FollowUps } from './email/follow-ups'
import type { SiteAvailability } from './site/availability'
import { AGENTS_PRESENCE_ROOM } from './site/availability'
import type { ResolvedSite } from './site/site-options'
import type { BackgroundTasks } from './background-tasks'
import type { FileStore } from './files/file-store'
import type { PresenceStore } from './presence'
import type { Logger } from './logger'
import type { RateLimiter, RateLimits } from './rate-limit'
import type { StatusUpdates } from './status-updates'
import type { KeyedLock } from './room-lock'
import type { WriteEffects } from './writes/effects'
import type { ConversationSummary, Store } from './store'

/** Set by the handshake; every handler trusts it and nothing from the client. */
export interface SocketData {
  user: Author
  /** Visitors: the one room they may use. */
  roomId?: string
  visitorToken?: string
  /** Why the handshake's identity was refused (the session is then anonymous). */
  identityError?: WireError
  /** When the handshake completed (server clock). */
  connectedAt?: number
  /** Agents signed in with an account: the hash of their session, to end their sockets with it. */
  sessionHash?: string
  /** Visitors: what their browser last reported, kept until their conversation exists. */
  context?: VisitorContext
  /** Visitors: what they told the team, kept until their conversation exists. */
  contact?: VisitorContact
}

export type ChatIo = Server<ClientToServerEvents, ServerToClientEvents, DefaultEventsMap, SocketData>
export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, DefaultEventsMap, SocketData>

export interface ServerContext {
  io: ChatIo
  store: Store
  presence: PresenceStore
  roomLock: KeyedLock
  /** Agents' announcements of changed rooms, sent after the requests at hand are answered. */
  announcements: Announcements
  /** Rooms' watermark broadcasts, likewise. */
  statusUpdates: StatusUpdates
  /** What integrations do after a room changes (webhook events, channel replies). */
  effects: WriteEffects
  secret: string
  identitySecret: string | undefined
  /** The owner's own agent authentication, if any. */
  authenticateAgent: ((token: string) => Author | undefined | Promise<Author | undefined>) | undefined
  /** Agent accounts, if enabled. With neither, no agent may connect. */
  accounts: Accounts | undefined
  maxTextLength: number
  /** The bytes of files sent with messages. */
  files: FileStore
  /** The files accepted; undefined when uploads are off. */
  uploads: UploadLimits | undefined
  /** The emoji accepted as reactions; empty when reactions are off. */
  reactions: readonly string[]
  heartbeatMs: number
  pageSize: number
  rateLimits: RateLimits
  /** New visitor identities per client address. */
  newVisitors: RateLimiter<string>
  /** The client's address for per-client limits (behind trusted proxies, from X-Forwarded-For). */
  clientAddress: (remoteAddress: string | undefined, headers: IncomingHttpHeaders) => string
  now: () => number
  /** Mints message ids. */
  newId: () => string
  /** Requests and broadcasts in flight; `close()` lets them finish first. */
  background: BackgroundTasks
  logger: Logger
  /** Logs an unexpected error with what was being done, and tells the `onError` hook. */
  reportError: (error: unknown, context: Record<string, unknown>) => void
  /** Business hours, away settings and the pre-chat form. */
  siteSettings: ResolvedSite
  /** Whether the team can answer now (agents online, business hours). */
  site: SiteAvailability
  /** E-mails agents' replies to visitors who left, when the server has e-mail settings. */
  followUps: FollowUps | undefined
}

/** The socket.io room a conversation's sockets join. */
export function roomChannel(roomId: string): string {
  return `room:${roomId}`
}

/** The socket.io room every agent socket joins, to follow all conversations. */
export const AGENTS_CHANNEL = 'agents'

/** Rooms an agent's sockets join, to end them all when the agent is removed or signs out. */
export const agentChannel = (agentId: string): string => `agent:${agentId}`
export const sessionChannel = (sessionHash: string): string => `session:${sessionHash}`

/** The wire conversation: the stored summary plus who is connected now. */
export async function toConversation(ctx: ServerContext, summary: ConversationSummary): Promise<Conversation> {
  return conversationView(summary, await ctx.presence.presence(summary.roomId))
}

/** `readByMe`: in answers to one agent, that agent's own read mark. */
export function conversationView(summary: ConversationSummary, presence: Presence, readByMe?: AgentRead): Conversation {
  const { roomId, visitor, status, assignee, context, contact, lastSeq, lastChangeSeq, lastMessage, watermarks, unread, visitorMessages, createdAt, updatedAt } = summary
  const channel = channelOf(visitor.id)
  return {
    roomId,
    ...(channel && { channel }),
    visitor,
    status,
    ...(assignee && { assignee }),
    ...(context && { context }),
    ...(contact && { contact }),
    lastSeq,
    lastChangeSeq,
    ...(lastMessage && { lastMessage: previewOf(lastMessage) }),
    watermarks,
    unread,
    visitorMessages,
    ...(readByMe && { readByMe }),
    presence,
    createdAt,
    updatedAt,
  }
}

/** What a list shows of a message: lists are sent to every agent on every change, so never the whole text. */
export function previewOf(message: WireMessage): MessagePreview {
  const { seq, author, text, createdAt, editedAt, deleted, attachment } = message
  return {
    seq,
    author,
    text: truncate(text, PREVIEW_LENGTH),
    createdAt,
    ...(editedAt !== undefined && { editedAt }),
    ...(deleted && { deleted }),
    ...(attachment && { attachment }),
  }
}

/** Re-reads a conversation and tells agents about it; quietly does nothing if it vanished. */
export async function announceToAgents(ctx: ServerContext, roomId: string, alsoToRoom = false): Promise<void> {
  const summary = await ctx.store.getSummary(roomId)
  if (!summary) return
  const conversation = await toConversation(ctx, summary)
  const target = alsoToRoom ? ctx.io.to(AGENTS_CHANNEL).to(roomChannel(roomId)) : ctx.io.to(AGENTS_CHANNEL)
  target.emit('conversation_updated', conversation)
  await deliveredToAgents(ctx, summary)
}

/**
 * The agents' inbox received the visitor's newest message (in a list update or a list page): it
 * is delivered. An agent's socket in the agents' channel is the inbox; the visitor sees grey ✓✓
 * before an agent opens the conversation, and a single ✓ while no agent is online.
 */
export async function deliveredToAgents(ctx: ServerContext, summary: Pick<Conversation, 'roomId' | 'lastSeq' | 'watermarks'> & { lastMessage?: { author: Author } | undefined }): Promise<void> {
  if (summary.lastMessage?.author.role !== 'visitor' || summary.watermarks.agent.delivered >= summary.lastSeq) return
  if (!(await ctx.site.agentsOnline())) return
  const watermarks = await ctx.store.raiseWatermark(summary.roomId, 'agent', 'delivered', summary.lastSeq)
  if (watermarks.agent.delivered !== summary.watermarks.agent.delivered) ctx.statusUpdates.soon(summary.roomId, watermarks)
}

/** Tells a room (on every node) who is in it now, and agents' lists too; for the agents' own room, every visitor. */
export async function broadcastPresence(ctx: ServerContext, roomId: string): Promise<void> {
  if (roomId === AGENTS_PRESENCE_ROOM) return ctx.site.agentsChanged()
  ctx.io.to(roomChannel(roomId)).emit('connection_status_update', {
    roomId,
    presence: await ctx.presence.presence(roomId),
    timestamp: ctx.now(),
  })
  await announceToAgents(ctx, roomId)
}
