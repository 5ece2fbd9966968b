/**
 * What a visitor's browser reports about where the visitor is (the page, the browser), kept with
 * the conversation for agents to see. A visitor without a conversation yet keeps it on the
 * socket; the first message writes it with the conversation.
 */
import type { VisitorContext } from '../../protocol'
import type { ChatSocket, ServerContext } from '../context'
import { ChatError } from '../errors'
import { authorise } from './access'
import type { Handler } from './types'

export const updateContext: Handler<'update_context'> = async (ctx, socket, req) => {
  if (socket.data.user.role !== 'visitor') throw new ChatError('forbidden', 'Only visitors report their context')
  await authorise(ctx, socket, req.roomId)
  await saveContext(ctx, socket, req.context)
  return {}
}

/** Keeps the context on the socket, and with the conversation once there is one (agents are told). */
export async function saveContext(ctx: ServerContext, socket: ChatSocket, context: VisitorContext): Promise<void> {
  socket.data.context = context
  const roomId = socket.data.roomId
  if (roomId === undefined) return
  await ctx.roomLock.run(roomId, async () => {
    if (!(await ctx.store.getConversation(roomId))) return
    await ctx.store.setContext(roomId, context)
    ctx.announcements.soon(roomId)
  })
}
