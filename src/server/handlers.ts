/**
 * One listener per client request. Every request is validated, authorised and answered with an
 * ack of the `{ ok, … }` shape; nothing a client sends can throw out of a listener or leave a
 * promise rejected, because a crash here would take every other conversation down with it.
 */
import type * as v from 'valibot'
import { check, requestSchemas } from '../protocol'
import type { Ack, Author, ClientToServerEvents, ConversationStatus, Role, WireMessage } from '../protocol'
import { AGENTS_CHANNEL, announceToAgents, broadcastPresence, roomChannel, toConversation } from './context'
import type { ChatSocket, ServerContext } from './context'
import { ChatError, toWireError } from './errors'
import { createRateLimiter, RATE_LIMIT_KIND, type RateLimiter } from './rate-limit'
import { clientIdOf, SendOrderGate } from './send-order'
import type { StoredConversation } from './store'

type EventName = keyof ClientToServerEvents
type RequestOf<K extends EventName> = Parameters<ClientToServerEvents[K]>[0]
/**
 * `answerNow` sends the successful answer before the handler has finished, for work the requester
 * need not wait for (telling the others); what the handler resolves to afterwards is not sent.
 */
type Handler<K extends EventName> = (ctx: ServerContext, socket: ChatSocket, req: RequestOf<K>, answerNow: (result: object) => void) => Promise<object>

/** Most conversations an agent's list returns. */
const CONVERSATION_LIST_LIMIT = 500

const handlers: { [K in EventName]: Handler<K> } = {
  join_room: joinRoom,
  leave_room: leaveRoom,
  send_message: sendMessage,
  edit_message: editMessage,
  delete_message: deleteMessage,
  get_history: getHistory,
  typing_indicator: typing,
  mark_delivered: (ctx, socket, req) => mark(ctx, socket, req.roomId, 'delivered', req.upToSeq),
  mark_read: (ctx, socket, req) => mark(ctx, socket, req.roomId, 'read', req.upToSeq),
  set_conversation_status: setConversationStatus,
  list_conversations: listConversations,
}

export function registerHandlers(ctx: ServerContext, socket: ChatSocket): void {
  const limits: ConnectionLimits = { limiter: createRateLimiter(ctx.rateLimits, ctx.now), sendOrder: new SendOrderGate() }
  for (const event of Object.keys(handlers) as EventName[]) listen(ctx, socket, event, limits)
  socket.on('disconnect', () => {
    ctx.background.add(
      ctx.presence.leaveAll(socket.id).then((roomIds) => Promise.all(roomIds.map((roomId) => broadcastPresence(ctx, roomId)))),
    )
  })
}

/** What a connection is held to: request rates, and the order of its messages after a refusal. */
interface ConnectionLimits {
  limiter: RateLimiter
  sendOrder: SendOrderGate
}

function listen<K extends EventName>(ctx: ServerContext, socket: ChatSocket, event: K, { limiter, sendOrder }: ConnectionLimits): void {
  const schema = requestSchemas.requests[event] as unknown as v.GenericSchema<RequestOf<K>>
  const handler = handlers[event] as Handler<K>
  const listener = (...args: unknown[]): void => {
    // socket.io appends the ack callback last; a client may send no payload, or extra arguments.
    const last = args[args.length - 1]
    const reply = typeof last === 'function' ? (last as (ack: Ack) => void) : undefined
    const payload = typeof args[0] === 'function' ? undefined : args[0]
    let answered = false
    const answer = (ack: Ack): void => {
      if (answered) return
      answered = true
      try {
        reply?.(ack)
      } catch {
        // A broken ack is the client's loss; the server carries on.
      }
    }
    // Decided at arrival, before anything async, so that refusals follow arrival order, which on
    // one connection is the order the client sent in; garbage costs a flooder like real requests.
    const clientId = event === 'send_message' ? clientIdOf(payload) : undefined
    if (clientId !== undefined && !sendOrder.admits(clientId)) {
      const message = `Message ${sendOrder.waiting} was refused; send it again before later ones`
      answer({ ok: false, error: { code: 'rate_limited', message, retryAfterMs: 0 } })
      return
    }
    const allowed = limiter.take(RATE_LIMIT_KIND[event])
    if (!allowed.ok) {
      sendOrder.refused(clientId)
      const seconds = Math.ceil(allowed.retryAfterMs / 1000)
      answer({ ok: false, error: { code: 'rate_limited', message: `Too many requests; try again in ${seconds} s`, retryAfterMs: allowed.retryAfterMs } })
      return
    }
    const parsed = check(schema, payload)
    if (!parsed.ok) {
      answer({ ok: false, error: { code: 'bad_request', message: parsed.reason } })
      return
    }
    // Tracked so that close() lets requests in flight finish before it quits the store.
    ctx.background.add(
      handler(ctx, socket, parsed.value, (result) => answer({ ok: true, ...result })).then(
        (result) => answer({ ok: true, ...result }),
        (error: unknown) => answer({ ok: false, error: toWireError(error) }),
      ),
    )
  }
  socket.on(event, listener as never)
}

// ---- rules shared by the handlers ----

/** The stored conversation, if this socket may use it. */
async function authorise(ctx: ServerContext, socket: ChatSocket, roomId: string): Promise<StoredConversation> {
  const { user, roomId: ownRoom } = socket.data
  if (user.role === 'visitor' && roomId !== ownRoom) throw new ChatError('forbidden', 'Visitors may only use their own conversation')
  const stored = await ctx.store.getConversation(roomId)
  if (!stored) throw new ChatError('not_found', `No conversation ${roomId}`)
  return stored
}

function requireAgent(socket: ChatSocket): void {
  if (socket.data.user.role !== 'agent') throw new ChatError('forbidden', 'Only agents may do this')
}

function checkText(ctx: ServerContext, text: string): string {
  if (text.trim() === '') throw new ChatError('bad_request', 'Message text is empty')
  if (text.length > ctx.maxTextLength) {
    throw new ChatError('too_long', `Message text is longer than ${ctx.maxTextLength} characters`)
  }
  return text
}

function isAuthor(message: WireMessage, user: Author): boolean {
  return message.author.id === user.id && message.author.role === user.role
}

/** Handlers run after awaits; a socket that left meanwhile must not be put back into rooms. */
function ensureConnected(socket: ChatSocket): void {
  if (socket.disconnected) throw new ChatError('internal', 'Socket disconnected')
}

// ---- handlers ----
//
// Handlers that change a room take its lock before their first await, i.e. in the same tick the
// request arrived, and authorise inside it; an await before the lock would let a slow store
// reorder requests that arrived in order.

async function joinRoom(ctx: ServerContext, socket: ChatSocket, req: RequestOf<'join_room'>): Promise<object> {
  const { roomId, afterSeq } = req
  const limit = req.limit ?? ctx.pageSize
  await authorise(ctx, socket, roomId)
  // Joined before reading history, so a message stored meanwhile arrives live if not in the page.
  // The check and both joins start without an await between them, and presence applies a socket's
  // changes in call order, so a socket that disconnects cannot be left behind in presence.
  ensureConnected(socket)
  const [, arrived] = await Promise.all([
    socket.join(roomChannel(roomId)),
    ctx.presence.join(roomId, socket.id, socket.data.user),
  ])
  if (arrived) await broadcastPresence(ctx, roomId)

  const page = await ctx.store.getMessages(roomId, afterSeq === undefined ? { limit } : { afterSeq, limit })
  const stored = await ctx.store.getConversation(roomId)
  if (!stored) throw new ChatError('not_found', `No conversation ${roomId}`)
  const first = page.messages[0]
  const hasOlder =
    afterSeq === undefined ? page.hasMore : first ? first.seq > 1 : Math.min(afterSeq, stored.lastSeq) > 0
  return {
    conversation: await toConversation(ctx, stored),
    messages: page.messages,
    hasMore: afterSeq === undefined ? false : page.hasMore,
    hasOlder,
  }
}

async function leaveRoom(ctx: ServerContext, socket: ChatSocket, req: RequestOf<'leave_room'>): Promise<object> {
  await authorise(ctx, socket, req.roomId)
  await socket.leave(roomChannel(req.roomId))
  if (await ctx.presence.leave(req.roomId, socket.id)) await broadcastPresence(ctx, req.roomId)
  return {}
}

async function sendMessage(
  ctx: ServerContext,
  socket: ChatSocket,
  req: RequestOf<'send_message'>,
  answerNow: (result: object) => void,
): Promise<object> {
  const { roomId, clientId } = req
  const text = checkText(ctx, req.text)
  const { user } = socket.data
  return ctx.roomLock.run(roomId, async () => {
    const conversation = await authorise(ctx, socket, roomId)
    const { message, created } = await ctx.store.appendMessage(
      { roomId, clientId, author: user, text, createdAt: ctx.now() },
      ctx.newId(),
    )
    if (!created) {
      // The key is (room, clientId), shared by both sides: another author's message under the
      // same clientId is a collision, not this sender's earlier copy.
      if (!isAuthor(message, user)) throw new ChatError('bad_request', 'clientId is already used by another author')
      // A retry from a connection newer than the message means the first attempt's connection is
      // gone, and with several nodes its node may have died between storing and broadcasting.
      // Announcing again costs a copy that clients drop by id; not announcing could leave the
      // other side without it until their next catch-up. Retries on the same connection are quiet.
      if (!(message.createdAt < (socket.data.connectedAt ?? -Infinity))) return { message }
      ctx.io.to(roomChannel(roomId)).emit('new_message', message)
      ctx.announcements.soon(roomId)
      return { message }
    }
    // The status read under this lock is still current: only handlers holding it change it.
    const reopened = user.role === 'visitor' && conversation.status === 'closed'
    if (reopened) await ctx.store.setStatus(roomId, 'open', ctx.now())
    // Stored: the sender hears first, then everyone else in the room (the sender's other tabs
    // included). Both go out under the room's lock, so every room's broadcasts keep seq order.
    answerNow({ message })
    socket.to(roomChannel(roomId)).emit('new_message', message)
    ctx.announcements.soon(roomId, reopened)
    return { message }
  })
}

async function editMessage(ctx: ServerContext, socket: ChatSocket, req: RequestOf<'edit_message'>): Promise<object> {
  const text = checkText(ctx, req.text)
  return ctx.roomLock.run(req.roomId, async () => {
    await authorise(ctx, socket, req.roomId)
    const existing = await ownMessage(ctx, socket, req.roomId, req.id)
    if (existing.deleted) throw new ChatError('forbidden', 'A deleted message cannot be edited')
    const message = await ctx.store.updateMessage(req.roomId, req.id, { text, editedAt: ctx.now() })
    if (!message) throw new ChatError('not_found', `No message ${req.id}`)
    ctx.io.to(roomChannel(req.roomId)).emit('message_edited', message)
    await announceIfLast(ctx, message)
    return { message }
  })
}

async function deleteMessage(ctx: ServerContext, socket: ChatSocket, req: RequestOf<'delete_message'>): Promise<object> {
  return ctx.roomLock.run(req.roomId, async () => {
    await authorise(ctx, socket, req.roomId)
    const existing = await ownMessage(ctx, socket, req.roomId, req.id)
    // A repeated delete (a retry) succeeds without telling everyone again.
    if (existing.deleted) return { message: existing }
    const message = await ctx.store.updateMessage(req.roomId, req.id, { text: '', deleted: true })
    if (!message) throw new ChatError('not_found', `No message ${req.id}`)
    ctx.io.to(roomChannel(req.roomId)).emit('message_deleted', message)
    await announceIfLast(ctx, message)
    return { message }
  })
}

async function ownMessage(ctx: ServerContext, socket: ChatSocket, roomId: string, id: string): Promise<WireMessage> {
  const message = await ctx.store.getMessage(roomId, id)
  if (!message) throw new ChatError('not_found', `No message ${id}`)
  if (!isAuthor(message, socket.data.user)) throw new ChatError('forbidden', 'Only the author may change a message')
  return message
}

/** Agents' lists show the last message, so changing it is news to them; older ones are not. */
async function announceIfLast(ctx: ServerContext, message: WireMessage): Promise<void> {
  const stored = await ctx.store.getConversation(message.roomId)
  if (stored?.lastSeq === message.seq) await announceToAgents(ctx, message.roomId)
}

async function getHistory(ctx: ServerContext, socket: ChatSocket, req: RequestOf<'get_history'>): Promise<object> {
  await authorise(ctx, socket, req.roomId)
  const page = await ctx.store.getMessages(req.roomId, {
    afterSeq: req.afterSeq,
    beforeSeq: req.beforeSeq,
    limit: req.limit ?? ctx.pageSize,
  })
  return { messages: page.messages, hasMore: page.hasMore }
}

async function typing(ctx: ServerContext, socket: ChatSocket, req: RequestOf<'typing_indicator'>): Promise<object> {
  await authorise(ctx, socket, req.roomId)
  socket.to(roomChannel(req.roomId)).emit('typing_indicator', {
    roomId: req.roomId,
    user: socket.data.user,
    isTyping: req.isTyping,
  })
  return {}
}

async function mark(
  ctx: ServerContext,
  socket: ChatSocket,
  roomId: string,
  kind: 'delivered' | 'read',
  upToSeq: number,
): Promise<object> {
  const role: Role = socket.data.user.role
  return ctx.roomLock.run(roomId, async () => {
    const before = await authorise(ctx, socket, roomId)
    const watermarks = await ctx.store.raiseWatermark(roomId, role, kind, upToSeq)
    if (watermarks[role][kind] !== before.watermarks[role][kind]) {
      ctx.statusUpdates.soon(roomId, watermarks)
      // Only reads change the agents' unread counts; deliveries would double their traffic.
      if (kind === 'read') ctx.announcements.soon(roomId)
    }
    return {}
  })
}

async function setConversationStatus(
  ctx: ServerContext,
  socket: ChatSocket,
  req: RequestOf<'set_conversation_status'>,
): Promise<object> {
  requireAgent(socket)
  const status: ConversationStatus = req.status
  return ctx.roomLock.run(req.roomId, async () => {
    await authorise(ctx, socket, req.roomId)
    const stored = await ctx.store.setStatus(req.roomId, status, ctx.now())
    if (!stored) throw new ChatError('not_found', `No conversation ${req.roomId}`)
    const conversation = await toConversation(ctx, stored)
    ctx.io.to(AGENTS_CHANNEL).to(roomChannel(req.roomId)).emit('conversation_updated', conversation)
    return { conversation }
  })
}

async function listConversations(ctx: ServerContext, socket: ChatSocket): Promise<object> {
  requireAgent(socket)
  const stored = await ctx.store.listConversations(CONVERSATION_LIST_LIMIT)
  const conversations = await Promise.all(stored.map((conversation) => toConversation(ctx, conversation)))
  return { conversations }
}
