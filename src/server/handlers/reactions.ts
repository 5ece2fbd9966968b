/**
 * Emoji reactions: anyone in a conversation may react to any message in it that is not deleted,
 * with one of the server's emoji. A reaction is a change to the message: it takes the room's next
 * change number, so a client that missed it gets it with `get_changes`. Repeating a reaction (a
 * retry) changes nothing and tells nobody.
 */
import { roomChannel } from '../context'
import { ChatError } from '../errors'
import { authoriseExisting } from './access'
import type { Handler } from './types'

export const reactMessage: Handler<'react_message'> = async (ctx, socket, req) => {
  const { roomId, id, emoji, on } = req
  if (ctx.reactions.length === 0) throw new ChatError('forbidden', 'Reactions are turned off on this server')
  if (!ctx.reactions.includes(emoji)) throw new ChatError('bad_request', `${emoji} is not one of this server's reactions (${ctx.reactions.join(' ')})`)
  return ctx.roomLock.run(roomId, async () => {
    await authoriseExisting(ctx, socket, roomId)
    const existing = await ctx.store.getMessage(roomId, id)
    if (!existing) throw new ChatError('not_found', `No message ${id}`)
    if (existing.deleted) throw new ChatError('forbidden', 'A deleted message cannot be reacted to')
    const result = await ctx.store.setReaction(roomId, id, { userId: socket.data.user.id, emoji, on })
    if (!result) throw new ChatError('not_found', `No message ${id}`)
    if (result.changed) ctx.io.to(roomChannel(roomId)).emit('message_reacted', result.message)
    return { message: result.message }
  })
}
