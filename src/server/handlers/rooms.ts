/** Joining and leaving rooms, and reading what they hold: history, changes, typing. */
import { emptyWatermarks } from '../../protocol'
import type { Author, Conversation } from '../../protocol'
import { broadcastPresence, conversationView, roomChannel, type ServerContext } from '../context'
import { ChatError } from '../errors'
import { raiseAgentRead } from '../writes/marks'
import { authorise, ensureConnected } from './access'
import type { Handler } from './types'

export const joinRoom: Handler<'join_room'> = async (ctx, socket, req) => {
  const { roomId, afterSeq } = req
  const limit = req.limit ?? ctx.pageSize
  await authorise(ctx, socket, roomId)
  // Joined before reading history, so a message stored meanwhile arrives live if not in the page.
  // The check and both joins start without an await between them, and presence applies a socket's
  // changes in call order, so a socket that disconnects cannot be left behind in presence.
  ensureConnected(socket)
  const [, arrived] = await Promise.all([socket.join(roomChannel(roomId)), ctx.presence.join(roomId, socket.id, socket.data.user)])
  if (arrived) await broadcastPresence(ctx, roomId)

  const summary = await ctx.store.getSummary(roomId)
  if (!summary) {
    // A visitor's conversation that has no message yet (or that the server lost).
    if (socket.data.user.role === 'agent') throw new ChatError('not_found', `No conversation ${roomId}`)
    return { conversation: notStarted(roomId, socket.data.user, await ctx.presence.presence(roomId)), messages: [], hasMore: false, hasOlder: false }
  }
  const { user } = socket.data
  // An agent that opens a conversation has its own read mark there from now on (at 0 if new).
  const [page, readByMe] = await Promise.all([
    ctx.store.getMessages(roomId, afterSeq === undefined ? { limit } : { afterSeq, limit }),
    user.role === 'agent' ? openedBy(ctx, roomId, user.id) : undefined,
  ])
  const first = page.messages[0]
  const hasOlder = afterSeq === undefined ? page.hasMore : first ? first.seq > 1 : Math.min(afterSeq, summary.lastSeq) > 0
  return {
    conversation: conversationView(summary, await ctx.presence.presence(roomId), readByMe),
    messages: page.messages,
    hasMore: afterSeq === undefined ? false : page.hasMore,
    hasOlder,
  }
}

/** The agent's own read mark, made (at 0) the first time it opens the room; a rejoin only reads it. */
async function openedBy(ctx: ServerContext, roomId: string, agentId: string) {
  return (await ctx.store.getAgentReads(agentId, [roomId])).get(roomId) ?? raiseAgentRead(ctx, roomId, agentId, 0)
}

/** The conversation a visitor has before its first message: empty, open, created at 0. */
function notStarted(roomId: string, visitor: Author, presence: Conversation['presence']): Conversation {
  return conversationView(
    { roomId, visitor, status: 'open', lastSeq: 0, lastChangeSeq: 0, watermarks: emptyWatermarks(), unread: { visitor: 0, agent: 0 }, visitorMessages: 0, createdAt: 0, updatedAt: 0 },
    presence,
  )
}

export const leaveRoom: Handler<'leave_room'> = async (ctx, socket, req) => {
  await authorise(ctx, socket, req.roomId)
  await socket.leave(roomChannel(req.roomId))
  if (await ctx.presence.leave(req.roomId, socket.id)) await broadcastPresence(ctx, req.roomId)
  return {}
}

export const getHistory: Handler<'get_history'> = async (ctx, socket, req) => {
  if (!(await authorise(ctx, socket, req.roomId))) return { messages: [], hasMore: false }
  return ctx.store.getMessages(req.roomId, { afterSeq: req.afterSeq, beforeSeq: req.beforeSeq, limit: req.limit ?? ctx.pageSize })
}

export const getChanges: Handler<'get_changes'> = async (ctx, socket, req) => {
  if (!(await authorise(ctx, socket, req.roomId))) return { messages: [], hasMore: false }
  return ctx.store.getChanges(req.roomId, req.afterChangeSeq, req.limit ?? ctx.pageSize)
}

export const typing: Handler<'typing_indicator'> = async (ctx, socket, req) => {
  await authorise(ctx, socket, req.roomId)
  socket.to(roomChannel(req.roomId)).emit('typing_indicator', { roomId: req.roomId, user: socket.data.user, isTyping: req.isTyping })
  return {}
}
