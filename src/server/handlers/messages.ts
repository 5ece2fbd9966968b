/**
 * Sending, editing and deleting messages from a socket: the socket's rules (a visitor's own room,
 * only the author changes a message, reserved client ids) around the write path every writer
 * shares (writes/messages.ts), which takes the room's lock in the tick the request arrived.
 */
import type { Attachment, Author, WireMessage } from '../../protocol'
import { isReservedClientId } from '../channels'
import type { ChatSocket, ServerContext } from '../context'
import { ChatError } from '../errors'
import { fileId, toAttachment } from '../files/file-store'
import type { StoredConversation } from '../store'
import { changeMessage, checkText, isAuthor, postMessage } from '../writes/messages'
import { authorise, authoriseExisting } from './access'
import type { Handler } from './types'

export const sendMessage: Handler<'send_message'> = async (ctx, socket, req, answerNow) => {
  const { roomId, clientId, attachmentId } = req
  if (isReservedClientId(clientId)) throw new ChatError('bad_request', 'clientIds starting with "api:" or "whatsapp:" are the server’s own; make another')
  const text = checkText(ctx, req.text, attachmentId !== undefined)
  const { message } = await postMessage(
    ctx,
    { roomId, clientId, author: socket.data.user, text },
    { conversation: () => conversationToWrite(ctx, socket, roomId, clientId, attachmentId), socket, answer: (stored) => answerNow({ message: stored }) },
  )
  return { message }
}

/**
 * The conversation a message goes to, and the file it carries; a visitor's first message creates
 * the conversation, after its file was found (a refused message creates nothing).
 */
async function conversationToWrite(
  ctx: ServerContext,
  socket: ChatSocket,
  roomId: string,
  clientId: string,
  attachmentId: string | undefined,
): Promise<{ conversation: StoredConversation; opened: boolean; attachment?: Attachment }> {
  const stored = await authorise(ctx, socket, roomId)
  const attachment = attachmentId === undefined ? undefined : await uploadedFile(ctx, socket.data.user, roomId, clientId, attachmentId)
  if (stored) return { conversation: stored, opened: false, ...(attachment && { attachment }) }
  const created = await ctx.store.openVisitorConversation(socket.data.user, roomId, ctx.now())
  // What the browser reported, and the visitor told, before the conversation existed goes with it.
  if (socket.data.context) await ctx.store.setContext(roomId, socket.data.context)
  if (socket.data.contact) await ctx.store.setContact(roomId, socket.data.contact)
  return { conversation: created, opened: true, ...(attachment && { attachment }) }
}

/**
 * The file a message is sent with: the one this sender uploaded for this very message (its id is
 * made from the clientId), so a file belongs to one message and goes when that message does.
 */
async function uploadedFile(ctx: ServerContext, user: Author, roomId: string, clientId: string, attachmentId: string): Promise<Attachment> {
  if (attachmentId !== fileId(user.id, roomId, clientId)) {
    throw new ChatError('bad_request', 'attachmentId is not the file uploaded with this message’s clientId')
  }
  const file = await ctx.files.head(roomId, attachmentId)
  if (!file) throw new ChatError('not_found', `No file ${attachmentId} in this conversation: upload it first`)
  return toAttachment(file)
}

export const editMessage: Handler<'edit_message'> = async (ctx, socket, req) => {
  // A file's caption may be taken away (the write path refuses it for a message without a file).
  const text = req.text.trim() === '' ? '' : checkText(ctx, req.text)
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
