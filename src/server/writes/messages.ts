/**
 * Writing messages, whoever writes: a socket, the REST API or a channel (WhatsApp). One path, so
 * every message is checked by the same rules, stored once per `(room, clientId)`, numbered under
 * the room's lock and told to the room and to agents the same way.
 *
 * Each function takes the room's lock before its first await, i.e. in the same tick the request
 * arrived, and reads (and authorises) the conversation inside it: an await before the lock would
 * let a slow store reorder requests that arrived in order.
 */
import { messageTextProblem } from '../../protocol'
import type { Attachment, Author, MessageDelivery, WireMessage } from '../../protocol'
import { channelOf } from '../channels'
import { announceToAgents, roomChannel } from '../context'
import type { ChatSocket, ServerContext } from '../context'
import { ChatError } from '../errors'
import type { StoredConversation } from '../store'

/** A key that another message holds already (another author's, or other text): a conflict, never that message. */
export class IdempotencyConflict extends ChatError {
  constructor(reason: string) {
    super('bad_request', reason)
    this.name = 'IdempotencyConflict'
  }
}

export interface NewPost {
  roomId: string
  clientId: string
  author: Author
  /** Checked with `checkText` by the caller, before the lock. */
  text: string
}

export interface PostOptions {
  /**
   * The conversation the message goes to, read (and authorised) under the lock; it may create it
   * (a visitor's first message, a WhatsApp contact's), and then says so with `opened`. With it, the
   * file the message carries, found under the lock too (so a message keeps its place in order).
   */
  conversation(): Promise<{ conversation: StoredConversation; opened: boolean; attachment?: Attachment }>
  /** A socket writer: left out of the broadcast (it learns from its ack). */
  socket?: ChatSocket
  /** Answers the writer as soon as the message is stored and what follows from it queued. */
  answer?(message: WireMessage): void
  /**
   * A repeated key with other text is a conflict (the REST API's Idempotency-Key). Sockets are
   * answered with the stored message whatever they resend, as the protocol has always said.
   */
  strictReplay?: boolean
}

export function postMessage(ctx: ServerContext, post: NewPost, options: PostOptions): Promise<{ message: WireMessage; created: boolean }> {
  const { roomId, clientId, author, text } = post
  return ctx.roomLock.run(roomId, async () => {
    const { conversation, opened, attachment } = await options.conversation()
    ctx.effects.checkPost(conversation, author)
    const { message, created } = await ctx.store.appendMessage({ roomId, clientId, author, text, createdAt: ctx.now(), ...(attachment && { attachment }) }, ctx.newId())
    if (!created) {
      // The key is (room, clientId), shared by every writer: another author's message under the
      // same clientId is a collision, not this writer's earlier copy.
      if (!isAuthor(message, author)) throw new IdempotencyConflict('clientId is already used by another author')
      if (options.strictReplay && message.text !== text) throw new IdempotencyConflict('clientId is already used for another message')
      // A retry from a connection newer than the message means the first attempt's connection is
      // gone, and with several nodes its node may have died between storing and broadcasting.
      // Announcing (and queuing) again costs a copy that clients and receivers drop by id; not
      // doing it could leave the others without it. Retries on the same connection are quiet.
      const connectedAt = options.socket?.data.connectedAt
      if (connectedAt !== undefined && !(message.createdAt < connectedAt)) return { message, created }
      await ctx.effects.posted(conversation, message, false)
      ctx.io.to(roomChannel(roomId)).emit('new_message', message)
      ctx.announcements.soon(roomId)
      return { message, created }
    }
    // The status read under this lock is still current: only writers holding it change it.
    const reopened = author.role === 'visitor' && conversation.status === 'closed'
    if (reopened) await ctx.store.setStatus(roomId, 'open', ctx.now())
    await ctx.effects.posted(conversation, message, opened)
    if (reopened) await ctx.effects.conversationChanged(roomId, 'status_changed')
    // An agent's reply: e-mailed later if the visitor has left without reading it.
    if (author.role === 'agent') ctx.followUps?.agentReplied(roomId)
    // Stored: the writer hears first, then everyone else in the room (the writer's other tabs
    // included). Both go out under the room's lock, so every room's broadcasts keep seq order.
    options.answer?.(message)
    const room = options.socket ? options.socket.to(roomChannel(roomId)) : ctx.io.to(roomChannel(roomId))
    room.emit('new_message', message)
    // A conversation that just started is news to the room too: its members learn its createdAt,
    // by which they recognise it if the server ever loses it.
    ctx.announcements.soon(roomId, reopened || opened)
    return { message, created }
  })
}

export type TextChange = { text: string } | { deleted: true }

export interface ChangeOptions {
  /** The conversation, read (and authorised) under the lock; it must exist. */
  conversation(): Promise<StoredConversation>
  /** Throws when this writer may not change the message. */
  mayChange(message: WireMessage): void
}

/** Edits or deletes a message; a repeated delete (a retry) succeeds without telling anyone again. */
export function changeMessage(ctx: ServerContext, roomId: string, id: string, change: TextChange, options: ChangeOptions): Promise<WireMessage> {
  return ctx.roomLock.run(roomId, async () => {
    const conversation = await options.conversation()
    const existing = await ctx.store.getMessage(roomId, id)
    if (!existing) throw new ChatError('not_found', `No message ${id}`)
    options.mayChange(existing)
    const channel = channelOf(conversation.visitor.id)
    // What went out on WhatsApp stays as it was on the contact's phone; changing our copy would lie.
    if (channel) throw new ChatError('forbidden', `Messages of a ${channel} conversation cannot be edited or deleted`)
    if ('deleted' in change && existing.deleted) return existing
    if ('text' in change && existing.deleted) throw new ChatError('forbidden', 'A deleted message cannot be edited')
    // Only a file's caption may be empty.
    if ('text' in change && change.text === '' && !existing.attachment) throw new ChatError('bad_request', 'Message text is empty')
    const message = await ctx.store.updateMessage(roomId, id, 'text' in change ? { text: change.text, editedAt: ctx.now() } : { text: '', deleted: true })
    if (!message) throw new ChatError('not_found', `No message ${id}`)
    // A deleted message no longer shows its file, so nobody may read it any more.
    const file = existing.attachment
    if ('deleted' in change && file) ctx.background.add(ctx.files.delete(roomId, file.id), `file ${file.id} of deleted message ${id}`)
    await ctx.effects.changed(message, 'text' in change ? 'updated' : 'deleted')
    ctx.io.to(roomChannel(roomId)).emit('text' in change ? 'message_edited' : 'message_deleted', message)
    await announceIfLast(ctx, message)
    return message
  })
}

/** Records how far a message got on its channel; clients hear it as an edit that keeps the text. */
export function setDelivery(ctx: ServerContext, roomId: string, id: string, delivery: MessageDelivery, unless?: (current: WireMessage) => boolean): Promise<WireMessage | undefined> {
  return ctx.roomLock.run(roomId, async () => {
    const current = await ctx.store.getMessage(roomId, id)
    if (!current || unless?.(current)) return undefined
    const message = await ctx.store.updateMessage(roomId, id, { delivery })
    if (!message) return undefined
    await ctx.effects.changed(message, 'updated')
    ctx.io.to(roomChannel(roomId)).emit('message_edited', message)
    await announceIfLast(ctx, message)
    return message
  })
}

/** Why a text cannot be sent, as the refusal every writer gets; with a file, a blank caption is stored as none. */
export function checkText(ctx: ServerContext, text: string, withFile = false): string {
  const problem = messageTextProblem(text, ctx.maxTextLength)
  if (withFile && problem?.code === 'bad_request' && text.trim() === '') return ''
  if (problem) throw new ChatError(problem.code, problem.message)
  return text
}

export function isAuthor(message: WireMessage, user: Author): boolean {
  return message.author.id === user.id && message.author.role === user.role
}

/** Agents' lists show the last message, so changing it is news to them; older ones are not. */
async function announceIfLast(ctx: ServerContext, message: WireMessage): Promise<void> {
  const stored = await ctx.store.getConversation(message.roomId)
  if (stored?.lastSeq === message.seq) await announceToAgents(ctx, message.roomId)
}
