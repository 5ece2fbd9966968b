/**
 * Runtime checks for everything the server sends: the client checks every broadcast and ack with
 * these (and the server its own output, in tests). A value that fails is dropped and reported,
 * never trusted. What only the server checks, the requests and the handshake, lives in
 * `request-schemas.ts`, so browser bundles do not carry it. Each schema is pinned to its
 * interface in `types.ts`, so the two cannot drift apart without a compile error.
 */
import * as v from 'valibot'
import { CONTACT_LIMITS, MAX_DELIVERY_ERROR_LENGTH, MAX_EMOJI_LENGTH, PREVIEW_LENGTH } from './constants'
import { FIELD_ID } from './contact-rules'
import { conversationStatus, email, id, name, role, seq, time, visitorContact, visitorContext } from './fields'
import { CHANNELS, ERROR_CODES } from './types'
import type * as T from './types'

export { conversationStatus, visitorContext }

export const author: v.GenericSchema<T.Author> = v.object({ id, role, name, email })

const count = v.pipe(v.number(), v.integer(), v.minValue(0))

export const attachment: v.GenericSchema<T.Attachment> = v.object({
  id,
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
  type: v.pipe(v.string(), v.minLength(1), v.maxLength(255)),
  size: count,
  width: v.optional(v.pipe(count, v.minValue(1))),
  height: v.optional(v.pipe(count, v.minValue(1))),
})

export const emoji = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_EMOJI_LENGTH))

const reaction: v.GenericSchema<T.Reaction> = v.object({ emoji, by: v.pipe(v.array(id), v.minLength(1)) })

const channel = v.picklist(CHANNELS)

export const messageDelivery: v.GenericSchema<T.MessageDelivery> = v.object({
  channel,
  status: v.picklist(['sent', 'failed']),
  error: v.optional(v.pipe(v.string(), v.maxLength(MAX_DELIVERY_ERROR_LENGTH))),
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
  attachment: v.optional(attachment),
  reactions: v.optional(v.array(reaction)),
  changeSeq: v.optional(v.pipe(seq, v.minValue(1))),
  delivery: v.optional(messageDelivery),
})

export const messagePreview: v.GenericSchema<T.MessagePreview> = v.object({
  seq: v.pipe(seq, v.minValue(1)),
  author,
  text: v.pipe(v.string(), v.maxLength(PREVIEW_LENGTH)),
  createdAt: time,
  editedAt: v.optional(time),
  deleted: v.optional(v.boolean()),
  attachment: v.optional(attachment),
})

const watermark = v.object({ delivered: seq, read: seq })
export const watermarks: v.GenericSchema<T.Watermarks> = v.object({ visitor: watermark, agent: watermark })

/** Who is in a room, by user id. */
export const presenceUsers: v.GenericSchema<T.Presence['users']> = v.record(v.string(), v.object({ userId: id, role, name, joinedAt: time }))

export const presence: v.GenericSchema<T.Presence> = v.object({
  users: presenceUsers,
  visitorConnected: v.boolean(),
  agentConnected: v.boolean(),
  totalVisitor: seq,
  totalAgent: seq,
})

const agentRead = { upToSeq: seq, visitorMessages: seq }

export const conversation: v.GenericSchema<T.Conversation> = v.object({
  roomId: id,
  channel: v.optional(channel),
  visitor: author,
  status: conversationStatus,
  assignee: v.optional(author),
  context: v.optional(visitorContext),
  contact: v.optional(visitorContact),
  lastSeq: seq,
  lastChangeSeq: seq,
  lastMessage: v.optional(messagePreview),
  watermarks,
  unread: v.object({ visitor: seq, agent: seq }),
  visitorMessages: v.optional(seq),
  readByMe: v.optional(v.object(agentRead)),
  presence,
  createdAt: time,
  updatedAt: time,
})

export const availability: v.GenericSchema<T.Availability> = v.object({
  agentsOnline: v.boolean(),
  withinHours: v.boolean(),
  opensAt: v.optional(time),
})

const requirement = v.picklist(['optional', 'required'])
const label = v.pipe(v.string(), v.minLength(1), v.maxLength(CONTACT_LIMITS.label))

export const siteInfo: v.GenericSchema<T.SiteInfo> = v.object({
  availability,
  awayEmail: v.picklist(['off', 'optional', 'required']),
  replyMinutes: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0))),
  preChatForm: v.optional(
    v.object({
      name: v.optional(requirement),
      email: v.optional(requirement),
      fields: v.pipe(
        v.array(
          v.object({
            id: v.pipe(v.string(), v.regex(FIELD_ID)),
            label,
            required: v.boolean(),
            options: v.optional(v.pipe(v.array(label), v.minLength(1), v.maxLength(CONTACT_LIMITS.options))),
          }),
        ),
        v.maxLength(CONTACT_LIMITS.fields),
      ),
    }),
  ),
})

const wireError = v.object({
  code: v.picklist(ERROR_CODES),
  message: v.string(),
  retryAfterMs: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0))),
})

export const broadcasts = {
  session: v.object({
    user: author,
    visitorToken: v.optional(v.pipe(v.string(), v.maxLength(4096))),
    roomId: v.optional(id),
    heartbeatMs: v.pipe(v.number(), v.integer(), v.minValue(1)),
    maxTextLength: v.pipe(v.number(), v.integer(), v.minValue(1)),
    identityError: v.optional(wireError),
    site: v.optional(siteInfo),
    uploads: v.optional(v.object({ maxBytes: v.pipe(count, v.minValue(1)), types: v.array(v.pipe(v.string(), v.maxLength(255))) })),
    reactions: v.optional(v.array(emoji)),
  }),
  new_message: message,
  message_edited: message,
  message_deleted: message,
  message_reacted: message,
  message_status_update: v.object({ roomId: id, watermarks }),
  typing_indicator: v.object({ roomId: id, user: author, isTyping: v.boolean() }),
  connection_status_update: v.object({ roomId: id, presence, timestamp: time }),
  conversation_updated: conversation,
  availability_update: availability,
  agent_read: v.object({ roomId: id, ...agentRead }),
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
  changes: ack({ messages: v.array(message), hasMore: v.boolean() }),
  conversation: ack({ conversation }),
  conversations: ack({ conversations: v.array(conversation), cursor: v.optional(v.pipe(v.string(), v.maxLength(512))) }),
  search: ack({ messages: v.array(message) }),
  contact: ack({ contact: visitorContact }),
}

/** The answer each request gets, by event name: one list for the client, the server's tests and the docs. */
export const ackOf = {
  join_room: acks.join_room,
  leave_room: acks.empty,
  send_message: acks.message,
  edit_message: acks.message,
  delete_message: acks.message,
  react_message: acks.message,
  get_history: acks.history,
  get_changes: acks.changes,
  typing_indicator: acks.empty,
  mark_delivered: acks.empty,
  mark_read: acks.empty,
  set_conversation_status: acks.conversation,
  list_conversations: acks.conversations,
  search_messages: acks.search,
  assign_conversation: acks.conversation,
  update_context: acks.empty,
  update_contact: acks.contact,
} satisfies { [K in keyof T.ClientToServerEvents]: (typeof acks)[keyof typeof acks] }

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
