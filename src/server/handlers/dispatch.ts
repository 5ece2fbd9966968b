/**
 * One listener per client request. Every request is rate-limited, validated, authorised and
 * answered with an ack of the `{ ok, … }` shape; nothing a client sends can throw out of a
 * listener or leave a promise rejected, because a crash here would take every other conversation
 * down with it. Unexpected errors are answered `internal` and logged with their context.
 */
import type * as v from 'valibot'
import { check, requestSchemas } from '../../protocol'
import type { Ack } from '../../protocol'
import { broadcastPresence } from '../context'
import type { ChatSocket, ServerContext } from '../context'
import { toWireError } from '../errors'
import { createRateLimiter, RATE_LIMIT_KIND, type RateLimiter } from '../rate-limit'
import { clientIdOf, SendOrderGate } from '../send-order'
import { assignConversation, listConversations, setConversationStatus } from './conversations'
import { deleteMessage, editMessage, sendMessage } from './messages'
import { reactMessage } from './reactions'
import { markDelivered, markRead } from './receipts'
import { searchMessages } from './search'
import { getChanges, getHistory, joinRoom, leaveRoom, typing } from './rooms'
import type { EventName, Handler, Handlers, RequestOf } from './types'
import { updateContact } from './visitor-contact'
import { updateContext } from './visitor-context'

const handlers: Handlers = {
  join_room: joinRoom,
  leave_room: leaveRoom,
  send_message: sendMessage,
  edit_message: editMessage,
  delete_message: deleteMessage,
  react_message: reactMessage,
  get_history: getHistory,
  get_changes: getChanges,
  typing_indicator: typing,
  mark_delivered: markDelivered,
  mark_read: markRead,
  set_conversation_status: setConversationStatus,
  list_conversations: listConversations,
  assign_conversation: assignConversation,
  update_context: updateContext,
  update_contact: updateContact,
  search_messages: searchMessages,
}

export function registerHandlers(ctx: ServerContext, socket: ChatSocket): void {
  const limits: ConnectionLimits = { limiter: createRateLimiter(ctx.rateLimits, ctx.now), sendOrder: new SendOrderGate(ctx.now) }
  for (const event of Object.keys(handlers) as EventName[]) listen(ctx, socket, event, limits)
  socket.on('disconnect', () => {
    ctx.background.add(
      ctx.presence.leaveAll(socket.id).then((roomIds) => {
        // The visitor's last socket left its room: an agent's reply from now on may be e-mailed.
        if (socket.data.user.role === 'visitor') for (const roomId of roomIds) ctx.followUps?.visitorLeft(roomId)
        return Promise.all(roomIds.map((roomId) => broadcastPresence(ctx, roomId)))
      }),
      `presence after socket ${socket.id} left`,
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
      } catch (error) {
        ctx.logger.warn({ err: error, event, socket: socket.id }, 'answering a request failed')
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
        (error: unknown) => {
          const wire = toWireError(error)
          if (wire.code === 'internal') ctx.reportError(error, { event, socket: socket.id, user: socket.data.user.id })
          answer({ ok: false, error: wire })
        },
      ),
      `${event} from ${socket.id}`,
    )
  }
  socket.on(event, listener as never)
}
