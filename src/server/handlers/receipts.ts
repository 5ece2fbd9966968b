/** Delivered and read marks: watermarks per role that only move forward. */
import type { Role } from '../../protocol'
import type { ChatSocket, ServerContext } from '../context'
import { authorise } from './access'
import type { Handler } from './types'

export const markDelivered: Handler<'mark_delivered'> = (ctx, socket, req) => mark(ctx, socket, req.roomId, 'delivered', req.upToSeq)
export const markRead: Handler<'mark_read'> = (ctx, socket, req) => mark(ctx, socket, req.roomId, 'read', req.upToSeq)

async function mark(ctx: ServerContext, socket: ChatSocket, roomId: string, kind: 'delivered' | 'read', upToSeq: number): Promise<object> {
  const role: Role = socket.data.user.role
  return ctx.roomLock.run(roomId, async () => {
    const before = await authorise(ctx, socket, roomId)
    // A visitor's room without messages has nothing to mark.
    if (!before) return {}
    const watermarks = await ctx.store.raiseWatermark(roomId, role, kind, upToSeq)
    if (watermarks[role][kind] !== before.watermarks[role][kind]) {
      ctx.statusUpdates.soon(roomId, watermarks)
      // Only reads change the agents' unread counts; deliveries would double their traffic.
      if (kind === 'read') ctx.announcements.soon(roomId)
    }
    return {}
  })
}
