/**
 * Sending, editing and deleting messages. Each takes the room's lock before its first await, i.e.
 * in the same tick the request arrived, and authorises inside it: an await before the lock would
 * let a slow store reorder requests that arrived in order.
 */
import { messageTextProblem } from '../../protocol'
import type { Attachment, Author, WireMessage } from '../../protocol'
import { announceToAgents, roomChannel } from '../context'
import type { ChatSocket, ServerContext } from '../context'
import { ChatError } from '../errors'
import { fileId, toAttachment } from '../files/file-store'
import type { StoredConversation } from '../store'
import { authorise, authoriseExisting } from './access'
import type { Handler } from './types'

export const sendMessage: Handler<'send_message'> = async (ctx, socket, req, answerNow) => {
  const { roomId, clientId, attachmentId } = req
  const text = checkText(ctx, req.text, attachmentId !== undefined)
  const { user } = socket.data
  return ctx.roomLock.run(roomId, async () => {
    const stored = await authorise(ctx, socket, roomId)
    // Checked before a visitor's first message creates the conversation: a refused one creates nothing.
    const attachment = attachmentId === undefined ? undefined : await uploadedFile(ctx, user, roomId, clientId, attachmentId)
    const { conversation, started } = stored ? { conversation: stored, started: false } : await startConversation(ctx, socket, roomId)
    const { message, created } = await ctx.store.appendMessage(
      { roomId, clientId, author: user, text, createdAt: ctx.now(), ...(attachment && { attachment }) },
      ctx.newId(),
    )
    if (!created) {
      // The key is (room, clientId), shared by both sides: another author's message under the
      // same clientId is a collision, not this sender's earlier copy.
      if (!isAuthor(message, user)) throw new ChatError('bad_request', 'clientId is already used by another author')
      // A retry from a connection newer than the message means the first attempt's connection is
      // gone, and with several nodes its node may have died between storing and broadcasting.
      // Announcing again costs a copy that clients drop by id; not announcing could leave the
      // other side without it until their next catch-up. Retries on the same connection are quiet.
      if (!(message.createdAt < (socket.data.connectedAt ?? -Infinity))) return { message }
      ctx.io.to(roomChannel(roomId)).emit('new_message', message)
      ctx.announcements.soon(roomId)
      return { message }
    }
    // The status read under this lock is still current: only handlers holding it change it.
    const reopened = user.role === 'visitor' && conversation.status === 'closed'
    if (reopened) await ctx.store.setStatus(roomId, 'open', ctx.now())
    // Stored: the sender hears first, then everyone else in the room (the sender's other tabs
    // included). Both go out under the room's lock, so every room's broadcasts keep seq order.
    answerNow({ message })
    socket.to(roomChannel(roomId)).emit('new_message', message)
    // A conversation that just started is news to the room too: its members learn its createdAt,
    // by which they recognise it if the server ever loses it.
    ctx.announcements.soon(roomId, reopened || started)
    return { message }
  })
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

/** A visitor's first message creates its conversation. */
async function startConversation(ctx: ServerContext, socket: ChatSocket, roomId: string): Promise<{ conversation: StoredConversation; started: true }> {
  const conversation = await ctx.store.openVisitorConversation(socket.data.user, roomId, ctx.now())
  // What the browser reported before the conversation existed goes with it.
  if (socket.data.context) await ctx.store.setContext(roomId, socket.data.context)
  return { conversation, started: true }
}

export const editMessage: Handler<'edit_message'> = async (ctx, socket, req) => {
  return ctx.roomLock.run(req.roomId, async () => {
    await authoriseExisting(ctx, socket, req.roomId)
    const existing = await ownMessage(ctx, socket, req.roomId, req.id)
    if (existing.deleted) throw new ChatError('forbidden', 'A deleted message cannot be edited')
    // A file's caption may be taken away; a message without a file keeps some text.
    const text = checkText(ctx, req.text, existing.attachment !== undefined)
    const message = await ctx.store.updateMessage(req.roomId, req.id, { text, editedAt: ctx.now() })
    if (!message) throw new ChatError('not_found', `No message ${req.id}`)
    ctx.io.to(roomChannel(req.roomId)).emit('message_edited', message)
    await announceIfLast(ctx, message)
    return { message }
  })
}

export const deleteMessage: Handler<'delete_message'> = async (ctx, socket, req) => {
  return ctx.roomLock.run(req.roomId, async () => {
    await authoriseExisting(ctx, socket, req.roomId)
    const existing = await ownMessage(ctx, socket, req.roomId, req.id)
    // A repeated delete (a retry) succeeds without telling everyone again.
    if (existing.deleted) return { message: existing }
    const message = await ctx.store.updateMessage(req.roomId, req.id, { text: '', deleted: true })
    if (!message) throw new ChatError('not_found', `No message ${req.id}`)
    ctx.io.to(roomChannel(req.roomId)).emit('message_deleted', message)
    // The message no longer shows its file, so nobody may read it any more.
    const file = existing.attachment
    if (file) ctx.background.add(ctx.files.delete(req.roomId, file.id), `file ${file.id} of deleted message ${req.id}`)
    await announceIfLast(ctx, message)
    return { message }
  })
}

/** The text to store; with a file, a blank caption is stored as none. */
function checkText(ctx: ServerContext, text: string, withFile: boolean): string {
  const problem = messageTextProblem(text, ctx.maxTextLength)
  if (withFile && problem?.code === 'bad_request' && text.trim() === '') return ''
  if (problem) throw new ChatError(problem.code, problem.message)
  return text
}

function isAuthor(message: WireMessage, user: Author): boolean {
  return message.author.id === user.id && message.author.role === user.role
}

async function ownMessage(ctx: ServerContext, socket: ChatSocket, roomId: string, id: string): Promise<WireMessage> {
  const message = await ctx.store.getMessage(roomId, id)
  if (!message) throw new ChatError('not_found', `No message ${id}`)
  if (!isAuthor(message, socket.data.user)) throw new ChatError('forbidden', 'Only the author may change a message')
  return message
}

/** Agents' lists show the last message, so changing it is news to them; older ones are not. */
async function announceIfLast(ctx: ServerContext, message: WireMessage): Promise<void> {
  const stored = await ctx.store.getConversation(message.roomId)
  if (stored?.lastSeq === message.seq) await announceToAgents(ctx, message.roomId)
}
