/**
 * Who may touch which room. A visitor names only its own room, which exists once the visitor has
 * sent a first message; before that it is an empty conversation that reads as nothing. Agents may
 * name any room that exists.
 */
import type { ChatSocket, ServerContext } from '../context'
import { ChatError } from '../errors'
import type { StoredConversation } from '../store'

/** The stored conversation, if this socket may use it; `undefined` for a visitor's room not yet created. */
export async function authorise(ctx: ServerContext, socket: ChatSocket, roomId: string): Promise<StoredConversation | undefined> {
  const { user, roomId: ownRoom } = socket.data
  if (user.role === 'visitor' && roomId !== ownRoom) throw new ChatError('forbidden', 'Visitors may only use their own conversation')
  const stored = await ctx.store.getConversation(roomId)
  if (!stored && user.role === 'agent') throw new ChatError('not_found', `No conversation ${roomId}`)
  return stored
}

/** Like `authorise`, for requests that need the conversation to exist. */
export async function authoriseExisting(ctx: ServerContext, socket: ChatSocket, roomId: string): Promise<StoredConversation> {
  const stored = await authorise(ctx, socket, roomId)
  if (!stored) throw new ChatError('not_found', `No conversation ${roomId} yet: it starts with the first message`)
  return stored
}

export function requireAgent(socket: ChatSocket): void {
  if (socket.data.user.role !== 'agent') throw new ChatError('forbidden', 'Only agents may do this')
}

/** Handlers run after awaits; a socket that left meanwhile must not be put back into rooms. */
export function ensureConnected(socket: ChatSocket): void {
  if (socket.disconnected) throw new ChatError('internal', 'Socket disconnected')
}
