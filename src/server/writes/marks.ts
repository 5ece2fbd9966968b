/** Delivered and read marks, from a socket's receipts or a channel's statuses: watermarks per role that only move forward. */
import type { Role } from '../../protocol'
import type { ServerContext } from '../context'
import type { StoredConversation } from '../store'

/** `read` reads (and authorises) the conversation under the lock; a room without one has nothing to mark. */
export function raiseMark(
  ctx: ServerContext,
  roomId: string,
  role: Role,
  kind: 'delivered' | 'read',
  upToSeq: number,
  read: () => Promise<StoredConversation | undefined>,
): Promise<void> {
  return ctx.roomLock.run(roomId, async () => {
    const before = await read()
    if (!before) return
    const watermarks = await ctx.store.raiseWatermark(roomId, role, kind, upToSeq)
    if (watermarks[role][kind] !== before.watermarks[role][kind]) {
      ctx.statusUpdates.soon(roomId, watermarks)
      // Only reads change the agents' unread counts; deliveries would double their traffic.
      if (kind === 'read') ctx.announcements.soon(roomId)
    }
  })
}
