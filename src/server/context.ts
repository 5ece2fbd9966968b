/**
 * What the handshake, the event handlers and the REST routes share: the typed socket.io server,
 * the store, presence, the settings in force, and how a stored conversation becomes the wire one.
 */
import type { DefaultEventsMap, Server, Socket } from 'socket.io'
import type { Author, ClientToServerEvents, Conversation, ServerToClientEvents, WireError } from '../protocol'
import type { Announcements } from './announcements'
import type { BackgroundTasks } from './background-tasks'
import type { PresenceStore } from './presence'
import type { RateLimits } from './rate-limit'
import type { StatusUpdates } from './status-updates'
import type { KeyedLock } from './room-lock'
import type { StoredConversation, Store } from './store'

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
  secret: string
  identitySecret: string | undefined
  authenticateAgent: (token: string) => Author | undefined | Promise<Author | undefined>
  maxTextLength: number
  heartbeatMs: number
  pageSize: number
  rateLimits: RateLimits
  now: () => number
  newId: () => string
  /** Requests and broadcasts in flight; `close()` lets them finish first. */
  background: BackgroundTasks
}

/** The socket.io room a conversation's sockets join. */
export function roomChannel(roomId: string): string {
  return `room:${roomId}`
}

/** The socket.io room every agent socket joins, to follow all conversations. */
export const AGENTS_CHANNEL = 'agents'

export async function toConversation(ctx: ServerContext, stored: StoredConversation): Promise<Conversation> {
  const { roomId, watermarks } = stored
  const [visitorUnread, agentUnread, presence] = await Promise.all([
    ctx.store.countAuthoredAfter(roomId, 'agent', watermarks.visitor.read),
    ctx.store.countAuthoredAfter(roomId, 'visitor', watermarks.agent.read),
    ctx.presence.presence(roomId),
  ])
  return {
    roomId,
    visitor: stored.visitor,
    status: stored.status,
    lastSeq: stored.lastSeq,
    ...(stored.lastMessage && { lastMessage: stored.lastMessage }),
    watermarks,
    unread: { visitor: visitorUnread, agent: agentUnread },
    presence,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  }
}

/** Re-reads a conversation and tells agents about it; quietly does nothing if it vanished. */
export async function announceToAgents(ctx: ServerContext, roomId: string, alsoToRoom = false): Promise<void> {
  const stored = await ctx.store.getConversation(roomId)
  if (!stored) return
  const conversation = await toConversation(ctx, stored)
  const target = alsoToRoom ? ctx.io.to(AGENTS_CHANNEL).to(roomChannel(roomId)) : ctx.io.to(AGENTS_CHANNEL)
  target.emit('conversation_updated', conversation)
}

/** Tells a room (on every node) who is in it now, and agents' lists too. */
export async function broadcastPresence(ctx: ServerContext, roomId: string): Promise<void> {
  ctx.io.to(roomChannel(roomId)).emit('connection_status_update', {
    roomId,
    presence: await ctx.presence.presence(roomId),
    timestamp: ctx.now(),
  })
  await announceToAgents(ctx, roomId)
}
