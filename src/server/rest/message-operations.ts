/**
 * REST operations on messages. A message posted here takes the path a socket's message takes
 * (writes/messages.ts): the same text rules, the same idempotent append under the room's lock,
 * the same `new_message` to the room and announcement to agents, so widgets and the inbox see it
 * live. The `Idempotency-Key` header becomes the message's `clientId` as `api:<key id>:<value>`,
 * a prefix sockets may not use, so a key never collides with a socket's client ids.
 */
import { randomUUID } from 'node:crypto'
import * as v from 'valibot'
import { normalizeDisplayName, requestSchemas } from '../../protocol'
import type { Author, WireMessage } from '../../protocol'
import type { ServerContext } from '../context'
import { ChatError } from '../errors'
import { agentById } from '../handlers/conversations'
import { changeMessage, checkText, postMessage } from '../writes/messages'
import { existing } from './conversation-operations'
import { ApiError, type ApiCall, type Operation } from './operation'
import { idField, messageData, messageIdParam, messagePageData, roomIdParam } from './shapes'

const { requests } = requestSchemas

/** Printable ASCII without spaces, short enough that `api:<key id>:` plus the key fits an id. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,80}$/

const postBody = v.object({
  ...v.omit(requests.send_message, ['roomId', 'clientId']).entries,
  agentId: v.optional(idField),
  bot: v.optional(v.pipe(v.string(), v.maxLength(80))),
})

export function messageOperations(ctx: ServerContext): Operation[] {
  const roomParams = { roomId: roomIdParam }
  const messageParams = { roomId: roomIdParam, messageId: messageIdParam }
  return [
    {
      id: 'listMessages',
      method: 'GET',
      path: '/conversations/{roomId}/messages',
      summary: 'Messages by seq, oldest first: afterSeq pages forwards (pass the last seq you hold), beforeSeq backwards; neither gives the newest page.',
      scope: 'read',
      params: roomParams,
      query: v.omit(requests.get_history, ['roomId']),
      response: messagePageData,
      async handle({ params, query }) {
        const { afterSeq, beforeSeq, limit } = query as { afterSeq?: number; beforeSeq?: number; limit?: number }
        const page = await ctx.store.getMessages(params.roomId!, { afterSeq, beforeSeq, limit: limit ?? ctx.pageSize })
        return { message: 'ok', data: page }
      },
    },
    {
      id: 'postMessage',
      method: 'POST',
      path: '/conversations/{roomId}/messages',
      summary:
        'Posts a message as an agent (`agentId`) or a named bot (`bot`). With an Idempotency-Key, the same key again answers 200 with the message stored the first time (409 if it was another message).',
      scope: 'write',
      params: roomParams,
      body: postBody,
      headers: [{ name: 'Idempotency-Key', description: 'Up to 80 printable ASCII characters; one message per key and API key.', maxLength: 80 }],
      response: messageData,
      creates: true,
      handle: (call) => post(ctx, call),
    },
    {
      id: 'editMessage',
      method: 'PATCH',
      path: '/conversations/{roomId}/messages/{messageId}',
      summary: 'Edits an agent’s or a bot’s message; visitors’ messages are theirs.',
      scope: 'write',
      params: messageParams,
      body: v.omit(requests.edit_message, ['roomId', 'id']),
      response: messageData,
      async handle({ params, body }) {
        const text = checkText(ctx, body.text as string)
        return { message: 'Message edited', data: { message: await change(ctx, params.roomId!, params.messageId!, { text }) } }
      },
    },
    {
      id: 'deleteMessage',
      method: 'DELETE',
      path: '/conversations/{roomId}/messages/{messageId}',
      summary: 'Deletes an agent’s or a bot’s message (it stays as a tombstone); deleting again changes nothing.',
      scope: 'write',
      params: messageParams,
      response: messageData,
      async handle({ params }) {
        return { message: 'Message deleted', data: { message: await change(ctx, params.roomId!, params.messageId!, { deleted: true }) } }
      },
    },
  ]
}

async function post(ctx: ServerContext, { key, params, body, headers }: ApiCall): Promise<{ status: 200 | 201; message: string; data: { message: WireMessage }; headers?: Record<string, string> }> {
  const roomId = params.roomId!
  const header = headers['idempotency-key']
  const idempotencyKey = Array.isArray(header) ? header[0] : header
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw new ApiError(422, 'bad_request', 'Idempotency-Key must be 1 to 80 printable ASCII characters without spaces')
  }
  const text = checkText(ctx, body.text as string)
  const author = await authorOf(ctx, body)
  const clientId = `api:${key.id}:${idempotencyKey ?? randomUUID()}`
  const { message, created } = await postMessage(ctx, { roomId, clientId, author, text }, {
    conversation: async () => ({ conversation: await existing(ctx, roomId), opened: false }),
    strictReplay: true,
  })
  return created
    ? { status: 201, message: 'Message stored', data: { message } }
    : { status: 200, message: 'Message stored before under this Idempotency-Key', data: { message }, headers: { 'Idempotent-Replayed': 'true' } }
}

/** Who writes: an agent with an account, or a bot by its name (every bot is an agent-side author). */
async function authorOf(ctx: ServerContext, body: Record<string, unknown>): Promise<Author> {
  const { agentId, bot } = body as { agentId?: string; bot?: string }
  if ((agentId === undefined) === (bot === undefined)) throw new ApiError(422, 'bad_request', 'Say who writes: agentId (an agent’s id) or bot (a name), one of the two')
  if (agentId !== undefined) {
    try {
      return await agentById(ctx, undefined, agentId)
    } catch (error) {
      if (error instanceof ChatError) throw new ApiError(422, 'bad_request', error.message)
      throw error
    }
  }
  const name = normalizeDisplayName(bot!, 'agent')
  if (!name) throw new ApiError(422, 'bad_request', 'bot must be a name with at least one visible character')
  return { id: `bot:${name.toLowerCase()}`, role: 'agent', name }
}

function change(ctx: ServerContext, roomId: string, id: string, what: { text: string } | { deleted: true }): Promise<WireMessage> {
  return changeMessage(ctx, roomId, id, what, {
    conversation: () => existing(ctx, roomId),
    mayChange(message) {
      if (message.author.role !== 'agent') throw new ApiError(403, 'forbidden', 'A visitor’s message is the visitor’s: it cannot be changed over the API')
    },
  })
}
