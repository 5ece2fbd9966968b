/** Delivered and read marks from a socket: watermarks per role, and an agent's own read mark, that only move forward (writes/marks.ts). */
import type { ChatSocket, ServerContext } from '../context'
import { raiseAgentRead, raiseMark } from '../writes/marks'
import { authorise } from './access'
import type { Handler } from './types'

export const markDelivered: Handler<'mark_delivered'> = (ctx, socket, req) => mark(ctx, socket, req.roomId, 'delivered', req.upToSeq)
export const markRead: Handler<'mark_read'> = (ctx, socket, req) => mark(ctx, socket, req.roomId, 'read', req.upToSeq)

async function mark(ctx: ServerContext, socket: ChatSocket, roomId: string, kind: 'delivered' | 'read', upToSeq: number): Promise<object> {
  const { user } = socket.data
  // A visitor's room without messages has nothing to mark (authorise reads it as undefined).
  await raiseMark(ctx, roomId, user.role, kind, upToSeq, () => authorise(ctx, socket, roomId))
  // An agent's read is the team's (the visitor sees it read) and the agent's own (its unread counts).
  if (kind === 'read' && user.role === 'agent') await raiseAgentRead(ctx, roomId, user.id, upToSeq)
  return {}
}
