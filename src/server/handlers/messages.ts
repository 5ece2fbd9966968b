/**
 * Sending, editing and deleting messages from a socket: the socket's rules (a visitor's own room,
 * only the author changes a message, reserved client ids) around the write path every writer
 * shares (writes/messages.ts), which takes the room's lock in the tick the request arrived.
 */
import type { WireMessage } from '../../protocol'
import { isReservedClientId } from '../channels'
import type { ChatSocket, ServerContext } from '../context'
import { ChatError } from '../errors'
import type { StoredConversation } from '../store'
import { changeMessage, checkText, isAuthor, postMessage } from '../writes/messages'
import { authorise, authoriseExisting } from './access'
import type { Handler } from './types'

export const sendMessage: Handler<'send_message'> = async (ctx, socket, req, answerNow) => {
  const { roomId, clientId } = req
  if (isReservedClientId(clientId)) throw new ChatError('bad_request', 'clientIds starting with "api:" or "whatsapp:" are the server’s own; make another')
  const text = checkText(ctx, req.text)
  const { message } = await postMessage(
    ctx,
    { roomId, clientId, author: socket.data.user, text },
    { conversation: () => conversationToWrite(ctx, socket, roomId), socket, answer: (stored) => answerNow({ message: stored }) },
  )
  return { message }
}

/** The conversation a message goes to; a visitor's first message creates it. */
async function conversationToWrite(ctx: ServerContext, socket: ChatSocket, roomId: string): Promise<{ conversation: StoredConversation; opened: boolean }> {
  const stored = await authorise(ctx, socket, roomId)
  if (stored) return { conversation: stored, opened: false }
  const created = await ctx.store.openVisitorConversation(socket.data.user, roomId, ctx.now())
  // What the browser reported before the conversation existed goes with it.
  if (socket.data.context) await ctx.store.setContext(roomId, socket.data.context)
  return { conversation: created, opened: true }
}

export const editMessage: Handler<'edit_message'> = async (ctx, socket, req) => {
  const text = checkText(ctx, req.text)
  const message = await changeMessage(ctx, req.roomId, req.id, { text }, authorOnly(ctx, socket, req.roomId))
  return { message }
}

export const deleteMessage: Handler<'delete_message'> = async (ctx, socket, req) => {
  const message = await changeMessage(ctx, req.roomId, req.id, { deleted: true }, authorOnly(ctx, socket, req.roomId))
  return { message }
}

function authorOnly(ctx: ServerContext, socket: ChatSocket, roomId: string) {
  return {
    conversation: () => authoriseExisting(ctx, socket, roomId),
    mayChange(message: WireMessage) {
      if (!isAuthor(message, socket.data.user)) throw new ChatError('forbidden', 'Only the author may change a message')
    },
  }
}
