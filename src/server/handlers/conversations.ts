/** What only agents do: list every conversation and set a conversation's status. */
import { AGENTS_CHANNEL, conversationView, roomChannel, toConversation } from '../context'
import { authoriseExisting, requireAgent } from './access'
import type { Handler } from './types'

/** Most conversations an agent's list returns. */
const CONVERSATION_LIST_LIMIT = 500

export const setConversationStatus: Handler<'set_conversation_status'> = async (ctx, socket, req) => {
  requireAgent(socket)
  return ctx.roomLock.run(req.roomId, async () => {
    await authoriseExisting(ctx, socket, req.roomId)
    await ctx.store.setStatus(req.roomId, req.status, ctx.now())
    const summary = await ctx.store.getSummary(req.roomId)
    if (!summary) throw new Error(`conversation ${req.roomId} vanished while its status was set`)
    const conversation = await toConversation(ctx, summary)
    ctx.io.to(AGENTS_CHANNEL).to(roomChannel(req.roomId)).emit('conversation_updated', conversation)
    return { conversation }
  })
}

export const listConversations: Handler<'list_conversations'> = async (ctx, socket) => {
  requireAgent(socket)
  const summaries = await ctx.store.listConversations({ limit: CONVERSATION_LIST_LIMIT })
  const presences = await ctx.presence.presenceOfRooms(summaries.map((summary) => summary.roomId))
  return { conversations: summaries.map((summary, i) => conversationView(summary, presences[i]!)) }
}
