/** Delivered and read marks from a socket: watermarks per role that only move forward (writes/marks.ts). */
import type { ChatSocket, ServerContext } from '../context'
import { raiseMark } from '../writes/marks'
import { authorise } from './access'
import type { Handler } from './types'

export const markDelivered: Handler<'mark_delivered'> = (ctx, socket, req) => mark(ctx, socket, req.roomId, 'delivered', req.upToSeq)
export const markRead: Handler<'mark_read'> = (ctx, socket, req) => mark(ctx, socket, req.roomId, 'read', req.upToSeq)

async function mark(ctx: ServerContext, socket: ChatSocket, roomId: string, kind: 'delivered' | 'read', upToSeq: number): Promise<object> {
  // A visitor's room without messages has nothing to mark (authorise reads it as undefined).
  await raiseMark(ctx, roomId, socket.data.user.role, kind, upToSeq, () => authorise(ctx, socket, roomId))
  return {}
}
