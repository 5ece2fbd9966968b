/**
 * Runtime checks for what clients send: the handshake and every request. Only the server checks
 * these, so they live apart from `schemas.ts` and stay out of browser bundles. Each schema is
 * pinned to its interface in `types.ts`.
 */
import * as v from 'valibot'
import { MAX_CONVERSATION_PAGE, MAX_ID_LENGTH, MAX_SEARCH_LENGTH } from './constants'
import { conversationStatus, email, id, limit, name, role, seq, time, visitorContact, visitorContext } from './fields'
import * as schemas from './schemas'
import type * as T from './types'

export const visitorIdentity: v.GenericSchema<T.VisitorIdentity> = v.object({
  // Room for the `user:` prefix within the id limit.
  userId: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID_LENGTH - 8)),
  // Its form is checked with its signature, so a bad one makes the visitor anonymous (with
  // `identityError`) like a wrong one, instead of refusing the whole handshake.
  userHash: v.pipe(v.string(), v.maxLength(256)),
  name,
  email,
})

export const handshakeAuth: v.GenericSchema<T.HandshakeAuth> = v.object({
  v: v.number(),
  role,
  visitorId: v.optional(id),
  token: v.optional(v.pipe(v.string(), v.maxLength(4096))),
  name,
  identity: v.optional(visitorIdentity),
  context: v.optional(visitorContext),
  contact: v.optional(visitorContact),
})

/** Text length is checked by the server against its own limit, so it can answer `too_long`. */
const text = v.string()

export const requests = {
  join_room: v.object({ roomId: id, afterSeq: v.optional(seq), limit }),
  leave_room: v.object({ roomId: id }),
  send_message: v.object({ roomId: id, clientId: id, text, attachmentId: v.optional(id) }),
  edit_message: v.object({ roomId: id, id, text }),
  delete_message: v.object({ roomId: id, id }),
  react_message: v.object({ roomId: id, id, emoji: schemas.emoji, on: v.boolean() }),
  get_history: v.object({
    roomId: id,
    beforeSeq: v.optional(seq),
    afterSeq: v.optional(seq),
    limit,
  }),
  get_changes: v.object({ roomId: id, afterChangeSeq: seq, limit }),
  typing_indicator: v.object({ roomId: id, isTyping: v.boolean() }),
  mark_delivered: v.object({ roomId: id, upToSeq: seq }),
  mark_read: v.object({ roomId: id, upToSeq: seq }),
  set_conversation_status: v.object({ roomId: id, status: conversationStatus }),
  list_conversations: v.object({
    status: v.optional(conversationStatus),
    assignee: v.optional(v.nullable(id)),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_CONVERSATION_PAGE))),
    cursor: v.optional(v.pipe(v.string(), v.maxLength(512))),
  }),
  assign_conversation: v.object({ roomId: id, agentId: v.nullable(id) }),
  update_context: v.object({ roomId: id, context: visitorContext }),
  update_contact: v.object({ roomId: id, contact: visitorContact }),
  search_messages: v.object({ text: v.pipe(v.string(), v.maxLength(MAX_SEARCH_LENGTH)), limit, before: v.optional(time) }),
} satisfies { [K in keyof T.ClientToServerEvents]: v.GenericSchema<Parameters<T.ClientToServerEvents[K]>[0]> }
