/**
 * Delivered and read marks, from a socket's receipts or a channel's statuses: watermarks per role
 * that only move forward; and each agent's own read mark beside the team's.
 */
import type { AgentRead, Role } from '../../protocol'
import { agentChannel, type ServerContext } from '../context'
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

/**
 * Raises one agent's own read mark (the team's is `raiseMark`'s) and tells that agent's sockets,
 * all its tabs on every node, when it moved: their unread counts are the agent's own. Resolves to
 * the mark as it is now; `upToSeq` 0 only records that the agent opened the room.
 */
export async function raiseAgentRead(ctx: ServerContext, roomId: string, agentId: string, upToSeq: number): Promise<AgentRead> {
  const { changed, ...read } = await ctx.store.raiseAgentRead(roomId, agentId, upToSeq)
  if (changed) ctx.io.to(agentChannel(agentId)).emit('agent_read', { roomId, ...read })
  return read
}
