/**
 * Runtime checks for everything that crosses the socket, in both directions. The server checks
 * every request with these; the client checks every broadcast. A value that fails is dropped and
 * reported, never trusted. Each schema is pinned to its interface in `types.ts`, so the two
 * cannot drift apart without a compile error.
 */
import * as v from 'valibot'
import { MAX_ID_LENGTH, MAX_PAGE } from './constants'
import { ERROR_CODES } from './types'
import type * as T from './types'

const id = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID_LENGTH))
const seq = v.pipe(v.number(), v.integer(), v.minValue(0))
const time = v.pipe(v.number(), v.finite())
const name = v.optional(v.pipe(v.string(), v.maxLength(200)))
const role = v.picklist(['visitor', 'agent'])
const limit = v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_PAGE)))

const email = v.optional(v.pipe(v.string(), v.maxLength(320)))

export const author: v.GenericSchema<T.Author> = v.object({ id, role, name, email })

export const visitorIdentity: v.GenericSchema<T.VisitorIdentity> = v.object({
  // Room for the `user:` prefix within the id limit.
  userId: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID_LENGTH - 8)),
  userHash: v.pipe(v.string(), v.regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits (HMAC-SHA256)')),
  name,
  email,
})

export const message: v.GenericSchema<T.WireMessage> = v.object({
  id,
  clientId: id,
  roomId: id,
  seq: v.pipe(seq, v.minValue(1)),
  author,
  text: v.string(),
  createdAt: time,
  editedAt: v.optional(time),
  deleted: v.optional(v.boolean()),
})

const watermark = v.object({ delivered: seq, read: seq })
export const watermarks: v.GenericSchema<T.Watermarks> = v.object({ visitor: watermark, agent: watermark })

export const presence: v.GenericSchema<T.Presence> = v.object({
  users: v.record(
    v.string(),
    v.object({ userId: id, role, name, joinedAt: time }),
  ),
  customerConnected: v.boolean(),
  agentConnected: v.boolean(),
  totalCustomer: seq,
  totalAgent: seq,
})

export const conversationStatus = v.picklist(['open', 'pending', 'closed'])

export const conversation: v.GenericSchema<T.Conversation> = v.object({
  roomId: id,
  visitor: author,
  status: conversationStatus,
  lastSeq: seq,
  lastMessage: v.optional(message),
  watermarks,
  unread: v.object({ visitor: seq, agent: seq }),
  presence,
  createdAt: time,
  updatedAt: time,
})

// ---- requests ----

export const handshakeAuth: v.GenericSchema<T.HandshakeAuth> = v.object({
  v: v.number(),
  role,
  visitorId: v.optional(id),
  token: v.optional(v.pipe(v.string(), v.maxLength(4096))),
  name,
  identity: v.optional(visitorIdentity),
})

/** Text length is checked by the server against its own limit, so it can answer `too_long`. */
const text = v.string()

export const requests = {
  join_room: v.object({ roomId: id, afterSeq: v.optional(seq), limit }),
  leave_room: v.object({ roomId: id }),
  send_message: v.object({ roomId: id, clientId: id, text }),
  edit_message: v.object({ roomId: id, id, text }),
  delete_message: v.object({ roomId: id, id }),
  get_history: v.object({
    roomId: id,
    beforeSeq: v.optional(seq),
    afterSeq: v.optional(seq),
    limit,
  }),
  typing_indicator: v.object({ roomId: id, isTyping: v.boolean() }),
  mark_delivered: v.object({ roomId: id, upToSeq: seq }),
  mark_read: v.object({ roomId: id, upToSeq: seq }),
  set_conversation_status: v.object({ roomId: id, status: conversationStatus }),
  list_conversations: v.object({}),
} satisfies { [K in keyof T.ClientToServerEvents]: v.GenericSchema<Parameters<T.ClientToServerEvents[K]>[0]> }

const wireError = v.object({
  code: v.picklist(ERROR_CODES),
  message: v.string(),
  retryAfterMs: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0))),
})

// ---- broadcasts and acks ----

export const broadcasts = {
  session: v.object({
    user: author,
    visitorToken: v.optional(v.pipe(v.string(), v.maxLength(4096))),
    roomId: v.optional(id),
    heartbeatMs: v.pipe(v.number(), v.integer(), v.minValue(1)),
    maxTextLength: v.pipe(v.number(), v.integer(), v.minValue(1)),
    identityError: v.optional(wireError),
  }),
  new_message: message,
  message_edited: message,
  message_deleted: message,
  message_status_update: v.object({ roomId: id, watermarks }),
  typing_indicator: v.object({ roomId: id, user: author, isTyping: v.boolean() }),
  connection_status_update: v.object({ roomId: id, presence, timestamp: time }),
  conversation_updated: conversation,
  heartbeat: v.object({ t: time }),
} satisfies { [K in keyof T.ServerToClientEvents]: v.GenericSchema<Parameters<T.ServerToClientEvents[K]>[0]> }

/** Wraps a success payload schema into the `{ ok: true, … } | { ok: false, error }` ack shape. */
function ack<S extends v.ObjectEntries>(entries: S) {
  return v.variant('ok', [
    v.object({ ok: v.literal(true), ...entries }),
    v.object({ ok: v.literal(false), error: wireError }),
  ])
}

export const acks = {
  empty: ack({}),
  join_room: ack({ conversation, messages: v.array(message), hasMore: v.boolean(), hasOlder: v.boolean() }),
  message: ack({ message }),
  history: ack({ messages: v.array(message), hasMore: v.boolean() }),
  conversation: ack({ conversation }),
  conversations: ack({ conversations: v.array(conversation) }),
}

/** The first issue's message with its path, e.g. `roomId: Invalid length`. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  const first = issues[0]
  if (!first) return 'invalid value'
  const path = first.path?.map((p) => String(p.key)).join('.')
  return path ? `${path}: ${first.message}` : first.message
}

export type CheckResult<T> = { ok: true; value: T } | { ok: false; reason: string }

export function check<T>(schema: v.GenericSchema<T>, value: unknown): CheckResult<T> {
  const result = v.safeParse(schema, value)
  return result.success ? { ok: true, value: result.output } : { ok: false, reason: describeIssues(result.issues) }
}
