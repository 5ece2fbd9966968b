/**
 * Changing a conversation (its status, its assignee) for whoever asks: an agent's socket or the
 * REST API. Under the room's lock, like message writes; agents and the room's members are told.
 */
import type { Author, Conversation, ConversationStatus } from '../../protocol'
import { AGENTS_CHANNEL, roomChannel, toConversation } from '../context'
import type { ServerContext } from '../context'
import type { StoredConversation } from '../store'

/** Reads (and authorises) the conversation under the lock; it must exist. */
export type ReadConversation = () => Promise<StoredConversation>

export function changeStatus(ctx: ServerContext, roomId: string, status: ConversationStatus, read: ReadConversation): Promise<Conversation> {
  return ctx.roomLock.run(roomId, async () => {
    const before = await read()
    await ctx.store.setStatus(roomId, status, ctx.now())
    if (before.status !== status) await ctx.effects.conversationChanged(roomId, 'status_changed')
    return announceChange(ctx, roomId)
  })
}

export function assign(ctx: ServerContext, roomId: string, assignee: Author | undefined, read: ReadConversation): Promise<Conversation> {
  return ctx.roomLock.run(roomId, async () => {
    const before = await read()
    await ctx.store.setAssignee(roomId, assignee)
    if (before.assignee?.id !== assignee?.id) await ctx.effects.conversationChanged(roomId, 'assigned')
    return announceChange(ctx, roomId)
  })
}

/** Tells agents and the room's members that the conversation changed, and returns it. */
async function announceChange(ctx: ServerContext, roomId: string): Promise<Conversation> {
  const summary = await ctx.store.getSummary(roomId)
  if (!summary) throw new Error(`conversation ${roomId} vanished while it was changed`)
  const conversation = await toConversation(ctx, summary)
  ctx.io.to(AGENTS_CHANNEL).to(roomChannel(roomId)).emit('conversation_updated', conversation)
  return conversation
}
