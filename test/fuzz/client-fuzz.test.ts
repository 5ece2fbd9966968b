/**
 * The core client under a hostile raw server. A scriptable socket.io server answers the
 * handshake and `join_room` correctly, then fast-check takes over: it emits broadcasts (real
 * names with garbage, near-valid or valid-but-inconsistent payloads, and made-up names), answers
 * every request with generated acks (garbage, refusals with bogus codes, well-formed answers
 * that contradict themselves: seq clashes, duplicate ids, other rooms, other clientIds) while
 * the user sends, retries, edits, deletes, pages back and marks read. Throughout a run:
 *
 * - nothing escapes to the process (no exception out of a listener, no unhandled rejection),
 *   and every failure of a public method is a `ChatError`;
 * - `messages` is always a list of well-formed `ChatMessage`s: confirmed ones first, by seq,
 *   unique ids, in the open room; then the user's unconfirmed ones, pending or failed;
 * - every malformed broadcast and ack is reported on `error`, exactly once;
 * - every message the user sent stays in the list, whatever acks it got;
 * - afterwards a valid `new_message` still shows up.
 */
import fc from 'fast-check'
import type { Socket as ServerSocket } from 'socket.io'
import { afterEach, describe, expect, it } from 'vitest'
import { ChatError, createChatClient, memoryStorage, type ChatClient, type ChatMessage } from '../../src'
import { manualEnvironment } from '../../src/core/util/environment'
import { check, schemas } from '../../src/protocol'
import type { Author, Conversation, SessionInfo, WireMessage } from '../../src/protocol'
import { emptyConversation, startFakeServer, type FakeServer } from '../support/fake-server'
import { ERROR_CODES, describeFault, drain, fuzzParameters, hugeString, materialize, show, sleep, trapProcessFaults, until } from './fuzz-support'

const RUNS = 60
const SESSION_RUNS = 8
const MAX_COMMANDS = 30
const ROOM = 'room-1'
const OTHER_ROOM = 'room-2'
const STATUSES = ['pending', 'sent', 'delivered', 'read', 'failed']
const SERVER_RESERVED = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'])
/** Broadcasts the client validates (and so must report when malformed). */
const VALIDATED = ['new_message', 'message_edited', 'message_deleted', 'message_status_update', 'typing_indicator', 'connection_status_update', 'conversation_updated', 'heartbeat']
/** The ack schema the client checks each request's answer with. */
const ACK_SCHEMA: Record<string, (typeof schemas.acks)[keyof typeof schemas.acks]> = {
  send_message: schemas.acks.message,
  edit_message: schemas.acks.message,
  delete_message: schemas.acks.message,
  get_history: schemas.acks.history,
  set_conversation_status: schemas.acks.conversation,
  join_room: schemas.acks.join_room,
  list_conversations: schemas.acks.conversations,
}

const faults = trapProcessFaults()

const clients = new Set<ChatClient>()
const fakes = new Set<FakeServer>()
afterEach(async () => {
  for (const client of clients) client.destroy()
  clients.clear()
  await Promise.all([...fakes].map((fake) => fake.close()))
  fakes.clear()
})

// ---- generated values ----

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.anything() },
  { weight: 2, arbitrary: fc.jsonValue() },
  fc.constantFrom<unknown>(undefined, null, true, 0, -1, 1.5, 2 ** 53, 1e308, NaN, Infinity, '', ' ', 'a'.repeat(129), '<b>x</b>', [], {}),
  hugeString(5000),
  fc.string({ unit: 'binary', maxLength: 20 }),
)

type Path = string[]
type Mutation = { op: 'set'; path: Path; value: unknown } | { op: 'delete'; path: Path } | { op: 'extra'; key: string; value: unknown }

/** Fields (and nested fields) of the broadcast and ack payloads, for near-valid mutations. */
const PATHS: Path[] = [
  ['id'], ['clientId'], ['roomId'], ['seq'], ['text'], ['createdAt'], ['editedAt'], ['deleted'], ['author'], ['author', 'id'], ['author', 'role'],
  ['watermarks'], ['watermarks', 'visitor'], ['watermarks', 'agent', 'read'], ['user'], ['user', 'role'], ['isTyping'], ['presence'],
  ['presence', 'users'], ['presence', 'totalAgent'], ['timestamp'], ['status'], ['lastSeq'], ['unread'], ['updatedAt'], ['t'],
  ['ok'], ['error'], ['error', 'code'], ['error', 'message'], ['error', 'retryAfterMs'], ['message'], ['message', 'seq'], ['message', 'roomId'],
  ['messages'], ['hasMore'], ['hasOlder'], ['conversation'], ['conversation', 'roomId'], ['conversations'],
]

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('set' as const), path: fc.constantFrom(...PATHS), value: hostileValue }) },
  fc.record({ op: fc.constant('delete' as const), path: fc.constantFrom(...PATHS) }),
  fc.record({ op: fc.constant('extra' as const), key: fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', 'status', 'own')), value: hostileValue }),
)

function mutate(value: unknown, mutations: Mutation[]): unknown {
  let result: unknown = structuredClone(value)
  for (const mutation of mutations) {
    if (mutation.op === 'extra') {
      if (typeof result === 'object' && result !== null) {
        Object.defineProperty(result, mutation.key, { value: mutation.value, enumerable: true, writable: true, configurable: true })
      }
      continue
    }
    const parents = mutation.path.slice(0, -1)
    const last = mutation.path[mutation.path.length - 1]!
    let target: unknown = result
    for (const key of parents) target = typeof target === 'object' && target !== null ? (target as Record<string, unknown>)[key] : undefined
    if (typeof target !== 'object' || target === null) continue
    if (mutation.op === 'delete') delete (target as Record<string, unknown>)[last]
    else (target as Record<string, unknown>)[last] = mutation.value
  }
  // Emitting a top-level value of undefined sends nothing useful; keep as is otherwise.
  return result
}

/** A message described relative to what the client has seen, resolved when it is sent. */
interface MessageSpec {
  id: 'fresh' | 'known'
  clientId: 'fresh' | 'mine' | 'known' | 'request'
  room: 'current' | 'other'
  seq: { kind: 'next' } | { kind: 'known' } | { kind: 'any'; value: number }
  author: 'me' | 'agent' | 'visitor'
  text: string | 'request'
  editedAt: number | undefined
  deleted: boolean | undefined
  pick: number
}

const messageSpecArb: fc.Arbitrary<MessageSpec> = fc.record({
  id: fc.constantFrom('fresh', 'fresh', 'known'),
  clientId: fc.constantFrom('fresh', 'fresh', 'mine', 'known', 'request'),
  room: fc.constantFrom('current', 'current', 'current', 'other'),
  seq: fc.oneof(
    { weight: 4, arbitrary: fc.constant({ kind: 'next' as const }) },
    fc.constant({ kind: 'known' as const }),
    fc.record({ kind: fc.constant('any' as const), value: fc.oneof(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 1_000_000_000 }), fc.constantFrom(0, -1)) }),
  ),
  author: fc.constantFrom('me', 'agent', 'visitor'),
  text: fc.oneof(fc.string({ maxLength: 20 }), fc.constant('request' as const), fc.string({ unit: 'binary', maxLength: 10 })),
  editedAt: fc.option(fc.integer({ min: 0, max: 2 ** 40 }), { nil: undefined }),
  deleted: fc.option(fc.boolean(), { nil: undefined }),
  pick: fc.nat({ max: 1000 }),
})

interface ConversationSpec {
  room: 'current' | 'other'
  status: string
  lastSeq: number
  updatedAt: number
  watermark: number
}

const conversationSpecArb: fc.Arbitrary<ConversationSpec> = fc.record({
  room: fc.constantFrom('current', 'other'),
  status: fc.constantFrom('open', 'pending', 'closed'),
  lastSeq: fc.nat({ max: 40 }),
  updatedAt: fc.nat({ max: 2 ** 40 }),
  watermark: fc.nat({ max: 40 }),
})

/** A payload: well-formed (possibly inconsistent), one near miss, or anything at all. */
type Shape<S> = { kind: 'valid'; spec: S } | { kind: 'near'; spec: S; mutations: Mutation[] } | { kind: 'raw'; value: unknown }

function shapeArb<S>(spec: fc.Arbitrary<S>): fc.Arbitrary<Shape<S>> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('valid' as const), spec }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('near' as const), spec, mutations: fc.array(mutationArb, { minLength: 1, maxLength: 2 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('raw' as const), value: hostileValue }) },
  )
}

type BroadcastSpec =
  | { name: 'new_message' | 'message_edited' | 'message_deleted'; shape: Shape<MessageSpec> }
  | { name: 'message_status_update'; shape: Shape<{ room: 'current' | 'other'; marks: number[] }> }
  | { name: 'typing_indicator'; shape: Shape<{ room: 'current' | 'other'; author: 'me' | 'agent' | 'visitor'; isTyping: boolean }> }
  | { name: 'connection_status_update'; shape: Shape<{ room: 'current' | 'other'; agents: number; timestamp: number }> }
  | { name: 'conversation_updated'; shape: Shape<ConversationSpec> }
  | { name: 'heartbeat'; shape: Shape<{ t: number }> }
  | { name: string; shape: { kind: 'raw'; value: unknown } }

const roomRef = fc.constantFrom<'current' | 'other'>('current', 'current', 'other')

const broadcastArb: fc.Arbitrary<BroadcastSpec> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ name: fc.constantFrom('new_message' as const, 'message_edited' as const, 'message_deleted' as const), shape: shapeArb(messageSpecArb) }) },
  fc.record({ name: fc.constant('message_status_update' as const), shape: shapeArb(fc.record({ room: roomRef, marks: fc.array(fc.nat({ max: 40 }), { minLength: 4, maxLength: 4 }) })) }),
  fc.record({ name: fc.constant('typing_indicator' as const), shape: shapeArb(fc.record({ room: roomRef, author: fc.constantFrom<'me' | 'agent' | 'visitor'>('me', 'agent', 'visitor'), isTyping: fc.boolean() })) }),
  fc.record({ name: fc.constant('connection_status_update' as const), shape: shapeArb(fc.record({ room: roomRef, agents: fc.nat({ max: 3 }), timestamp: fc.nat() })) }),
  fc.record({ name: fc.constant('conversation_updated' as const), shape: shapeArb(conversationSpecArb) }),
  fc.record({ name: fc.constant('heartbeat' as const), shape: shapeArb(fc.record({ t: fc.nat() })) }),
  fc.record({
    name: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('error', '__proto__', 'message', 'status', 'ack', 'join_room')).filter((n) => !SERVER_RESERVED.has(n)),
    shape: fc.record({ kind: fc.constant('raw' as const), value: hostileValue }),
  }),
)

/** How the server answers one request. */
type AckSpec =
  | { kind: 'garbage'; value: unknown }
  | { kind: 'refuse'; code: string; message: unknown; retryAfterMs: unknown }
  | { kind: 'message'; shape: Shape<MessageSpec> }
  | { kind: 'history'; messages: MessageSpec[]; hasMore: boolean; mutations: Mutation[] }
  | { kind: 'conversation'; shape: Shape<ConversationSpec> }
  | { kind: 'empty' }

const ackArb: fc.Arbitrary<AckSpec> = fc.oneof(
  fc.record({ kind: fc.constant('garbage' as const), value: hostileValue }),
  fc.record({
    kind: fc.constant('refuse' as const),
    code: fc.oneof(fc.constantFrom(...ERROR_CODES), fc.string({ maxLength: 10 }), fc.constantFrom('timeout', 'invalid_event', 'not_connected')),
    message: fc.oneof({ weight: 4, arbitrary: fc.string({ maxLength: 20 }) }, hostileValue),
    retryAfterMs: fc.option(fc.oneof(fc.nat({ max: 300 }), fc.constantFrom(-1, 1e12, NaN)), { nil: undefined }),
  }),
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('message' as const), shape: shapeArb(messageSpecArb) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('history' as const),
      messages: fc.array(messageSpecArb, { maxLength: 5 }),
      hasMore: fc.boolean(),
      mutations: fc.array(mutationArb, { maxLength: 1 }),
    }),
  },
  fc.record({ kind: fc.constant('conversation' as const), shape: shapeArb(conversationSpecArb) }),
  fc.constant({ kind: 'empty' as const }),
)

/** What the user does, or the server sends, next. */
type Command =
  | { kind: 'broadcast'; spec: BroadcastSpec }
  | { kind: 'send'; text: string }
  | { kind: 'retry'; pick: number }
  | { kind: 'edit'; pick: number; text: string }
  | { kind: 'remove'; pick: number }
  | { kind: 'loadOlder' }
  | { kind: 'markRead' }
  | { kind: 'typing'; isTyping: boolean }
  | { kind: 'setStatus'; status: 'open' | 'pending' | 'closed' }
  | { kind: 'pause'; ms: number }

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('broadcast' as const), spec: broadcastArb }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('send' as const), text: fc.oneof({ weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 20 }) }, fc.constantFrom('', '  ', 'x'.repeat(4001))) }) },
  fc.record({ kind: fc.constant('retry' as const), pick: fc.nat({ max: 100 }) }),
  fc.record({ kind: fc.constant('edit' as const), pick: fc.nat({ max: 100 }), text: fc.string({ minLength: 1, maxLength: 10 }) }),
  fc.record({ kind: fc.constant('remove' as const), pick: fc.nat({ max: 100 }) }),
  fc.constant({ kind: 'loadOlder' as const }),
  fc.constant({ kind: 'markRead' as const }),
  fc.record({ kind: fc.constant('typing' as const), isTyping: fc.boolean() }),
  fc.record({ kind: fc.constant('setStatus' as const), status: fc.constantFrom('open' as const, 'pending' as const, 'closed' as const) }),
  fc.record({ kind: fc.constant('pause' as const), ms: fc.integer({ min: 0, max: 15 }) }),
)

// ---- resolving specs against the run's state ----

interface RunState {
  role: 'visitor' | 'agent'
  me: Author
  /** Valid messages the server has put on the wire, for "known" ids, seqs and clientIds. */
  seen: WireMessage[]
  maxSeq: number
  counter: number
  /** clientIds the user's `send` returned. */
  sent: string[]
  /** Valid messages of the open room put on the wire: seq and clientId by id, id by seq. */
  heldById: Map<string, { seq: number; clientId: string }>
  idBySeq: Map<number, string>
}

const OTHER_AGENT: Author = { id: 'agent-2', role: 'agent', name: 'Bot' }
const OTHER_VISITOR: Author = { id: 'v-other', role: 'visitor' }

function pickFrom<T>(list: readonly T[], pick: number): T | undefined {
  return list.length === 0 ? undefined : list[pick % list.length]
}

function buildMessage(spec: MessageSpec, state: RunState, request: Record<string, unknown> | undefined): WireMessage {
  const known = pickFrom(state.seen, spec.pick)
  const reuseId = spec.id === 'known' && known !== undefined
  const seq = reuseId
    ? known.seq
    : spec.seq.kind === 'next'
      ? ++state.maxSeq
      : spec.seq.kind === 'known'
        ? (known?.seq ?? 1)
        : spec.seq.value
  state.maxSeq = Math.max(state.maxSeq, seq)
  const n = ++state.counter
  const clientId =
    spec.clientId === 'mine'
      ? (pickFrom(state.sent, spec.pick) ?? `c-${n}`)
      : spec.clientId === 'known'
        ? (known?.clientId ?? `c-${n}`)
        : spec.clientId === 'request' && typeof request?.clientId === 'string'
          ? request.clientId
          : `c-${n}`
  const text = spec.text === 'request' ? (typeof request?.text === 'string' ? request.text : 'text') : spec.text
  const message: WireMessage = {
    id: reuseId ? known.id : `m-${n}`,
    // A known message comes back as itself: only text, editedAt and deleted may change.
    clientId: reuseId ? known.clientId : clientId,
    roomId: reuseId ? known.roomId : spec.room === 'current' ? ROOM : OTHER_ROOM,
    seq,
    author: reuseId ? known.author : spec.author === 'me' ? state.me : spec.author === 'agent' ? OTHER_AGENT : OTHER_VISITOR,
    text: spec.deleted ? '' : text,
    createdAt: 1_700_000_000_000 + n,
    ...(spec.editedAt !== undefined && { editedAt: spec.editedAt }),
    ...(spec.deleted !== undefined && { deleted: spec.deleted }),
  }
  return message
}

function buildConversation(spec: ConversationSpec): Conversation {
  const base = emptyConversation(spec.room === 'current' ? ROOM : OTHER_ROOM) as Conversation
  return {
    ...base,
    status: spec.status as Conversation['status'],
    lastSeq: spec.lastSeq,
    updatedAt: spec.updatedAt,
    watermarks: { visitor: { delivered: spec.watermark, read: spec.watermark }, agent: { delivered: spec.watermark, read: 0 } },
  }
}

function resolveShape<S>(shape: Shape<S>, build: (spec: S) => unknown): unknown {
  if (shape.kind === 'raw') return shape.value
  const value = build(shape.spec)
  return shape.kind === 'valid' ? value : mutate(value, shape.mutations)
}

function resolveBroadcast(spec: BroadcastSpec, state: RunState): unknown {
  const room = (r: 'current' | 'other') => (r === 'current' ? ROOM : OTHER_ROOM)
  const author = (a: 'me' | 'agent' | 'visitor') => (a === 'me' ? state.me : a === 'agent' ? OTHER_AGENT : OTHER_VISITOR)
  switch (spec.name) {
    case 'new_message':
    case 'message_edited':
    case 'message_deleted':
      return resolveShape(spec.shape as Shape<MessageSpec>, (s) => buildMessage(s, state, undefined))
    case 'message_status_update':
      return resolveShape(spec.shape as Shape<{ room: 'current' | 'other'; marks: number[] }>, (s) => ({
        roomId: room(s.room),
        watermarks: { visitor: { delivered: s.marks[0], read: s.marks[1] }, agent: { delivered: s.marks[2], read: s.marks[3] } },
      }))
    case 'typing_indicator':
      return resolveShape(spec.shape as Shape<{ room: 'current' | 'other'; author: 'me' | 'agent' | 'visitor'; isTyping: boolean }>, (s) => ({
        roomId: room(s.room),
        user: author(s.author),
        isTyping: s.isTyping,
      }))
    case 'connection_status_update':
      return resolveShape(spec.shape as Shape<{ room: 'current' | 'other'; agents: number; timestamp: number }>, (s) => ({
        roomId: room(s.room),
        presence: {
          users: s.agents > 0 ? { [OTHER_AGENT.id]: { userId: OTHER_AGENT.id, role: 'agent', joinedAt: 1 } } : {},
          visitorConnected: true,
          agentConnected: s.agents > 0,
          totalVisitor: 1,
          totalAgent: s.agents,
        },
        timestamp: s.timestamp,
      }))
    case 'conversation_updated':
      return resolveShape(spec.shape as Shape<ConversationSpec>, buildConversation)
    case 'heartbeat':
      return resolveShape(spec.shape as Shape<{ t: number }>, (s) => s)
    default:
      return spec.shape.kind === 'raw' ? spec.shape.value : undefined
  }
}

function resolveAck(spec: AckSpec | undefined, state: RunState, request: Record<string, unknown> | undefined): unknown {
  // Once the script runs out, a final refusal stops every retry loop, so the run ends quiet.
  if (!spec) return { ok: false, error: { code: 'forbidden', message: 'script exhausted' } }
  switch (spec.kind) {
    case 'garbage':
      return spec.value
    case 'refuse':
      return { ok: false, error: { code: spec.code, message: spec.message, ...(spec.retryAfterMs !== undefined && { retryAfterMs: spec.retryAfterMs }) } }
    case 'message':
      return resolveShape(spec.shape, (s) => ({ ok: true, message: buildMessage(s, state, request) }))
    case 'history':
      return mutate({ ok: true, messages: spec.messages.map((s) => buildMessage(s, state, request)), hasMore: spec.hasMore }, spec.mutations)
    case 'conversation':
      return resolveShape(spec.shape, (s) => ({ ok: true, conversation: buildConversation(s) }))
    case 'empty':
      return { ok: true }
  }
}

/** The valid messages inside a broadcast or an ack. */
function messagesIn(value: unknown): WireMessage[] {
  const candidates: unknown[] = []
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>
    candidates.push(value, record.message)
    if (Array.isArray(record.messages)) candidates.push(...record.messages)
  }
  const found: WireMessage[] = []
  for (const candidate of candidates) {
    const parsed = check(schemas.message, roundTrip(candidate))
    if (parsed.ok) found.push(parsed.value)
  }
  return found
}

/** Notes the valid messages in anything sent, so later specs can refer to them (if `pickable`). */
function remember(state: RunState, value: unknown, pickable = true): void {
  for (const message of messagesIn(value)) {
    if (pickable) state.seen.push(message)
    if (Number.isSafeInteger(message.seq)) state.maxSeq = Math.max(state.maxSeq, message.seq)
    if (message.roomId !== ROOM) continue
    if (!state.heldById.has(message.id)) state.heldById.set(message.id, { seq: message.seq, clientId: message.clientId })
    if (!state.idBySeq.has(message.seq)) state.idBySeq.set(message.seq, message.id)
  }
}

// ---- what is checked ----

function listProblems(list: unknown, role: 'visitor' | 'agent'): string[] {
  if (!Array.isArray(list)) return [`messages is not an array: ${show(list)}`]
  const problems: string[] = []
  let confirmedDone = false
  let lastSeq = 0
  const ids = new Set<string>()
  for (const [i, item] of (list as ChatMessage[]).entries()) {
    const m = item as ChatMessage & Record<string, unknown>
    const where = `messages[${i}] ${show(m, 200)}`
    if (typeof m !== 'object' || m === null) {
      problems.push(`${where}: not an object`)
      continue
    }
    if (typeof m.clientId !== 'string' || m.clientId === '') problems.push(`${where}: clientId`)
    if (!STATUSES.includes(m.status)) problems.push(`${where}: status`)
    if (typeof m.own !== 'boolean') problems.push(`${where}: own`)
    if (typeof m.text !== 'string') problems.push(`${where}: text`)
    if (typeof m.createdAt !== 'number' || !Number.isFinite(m.createdAt)) problems.push(`${where}: createdAt`)
    if (typeof m.author !== 'object' || m.author === null || typeof m.author.id !== 'string' || !['visitor', 'agent'].includes(m.author.role)) {
      problems.push(`${where}: author`)
    }
    if (m.id !== undefined) {
      if (confirmedDone) problems.push(`${where}: a confirmed message after an unconfirmed one`)
      if (typeof m.id !== 'string') problems.push(`${where}: id`)
      if (typeof m.seq !== 'number' || !Number.isInteger(m.seq) || m.seq < 1) problems.push(`${where}: seq`)
      else if (m.seq <= lastSeq) problems.push(`${where}: seq ${m.seq} after ${lastSeq}`)
      else lastSeq = m.seq
      if (ids.has(m.id)) problems.push(`${where}: duplicate id ${m.id}`)
      ids.add(m.id)
      if (m.roomId !== ROOM) problems.push(`${where}: a message of another room`)
      if (m.status === 'pending' || m.status === 'failed') problems.push(`${where}: confirmed but ${m.status}`)
    } else {
      confirmedDone = true
      if (m.seq !== undefined) problems.push(`${where}: seq without id`)
      if (!m.own) problems.push(`${where}: unconfirmed and not own`)
      if (m.status !== 'pending' && m.status !== 'failed') problems.push(`${where}: unconfirmed but ${m.status}`)
      if (m.status === 'failed' && (typeof m.error?.code !== 'string' || typeof m.error.message !== 'string')) problems.push(`${where}: failed without error`)
      if (role === 'agent' && m.roomId !== ROOM) problems.push(`${where}: pending in another room`)
    }
  }
  return problems
}

function conversationsProblems(list: readonly Conversation[]): string[] {
  const problems: string[] = []
  const rooms = new Set<string>()
  list.forEach((c, i) => {
    const parsed = check(schemas.conversation, c)
    if (!parsed.ok) problems.push(`conversations[${i}] invalid: ${parsed.reason}`)
    if (rooms.has(c.roomId)) problems.push(`conversations: ${c.roomId} twice`)
    rooms.add(c.roomId)
    const next = list[i + 1]
    if (next && next.updatedAt > c.updatedAt) problems.push('conversations not newest first')
  })
  return problems
}

// ---- one run ----

interface World {
  fake: FakeServer
  client: ChatClient
  state: RunState
  errors: ChatError[]
  problems: string[]
  /** Pending results of public methods. */
  calls: Promise<void>[]
  /** Malformed broadcasts and acks that reached the current socket, by error-message prefix. */
  expectedErrors: Map<string, number>
  /** Well-formed payloads whose messages may contradict what the client holds, per source. */
  possibleErrors: Map<string, number>
  acks: AckSpec[]
  /** What the server answered, for the failure message. */
  trace: string[]
}

function count(map: Map<string, number>, key: string, amount = 1): void {
  map.set(key, (map.get(key) ?? 0) + amount)
}

async function startWorld(role: 'visitor' | 'agent', acks: AckSpec[]): Promise<World> {
  const fake = await startFakeServer()
  fakes.add(fake)
  const me: Author = role === 'visitor' ? { id: 'v1', role: 'visitor' } : { id: 'agent-1', role: 'agent', name: 'Ayu' }
  const state: RunState = { role, me, seen: [], maxSeq: 0, counter: 0, sent: [], heldById: new Map(), idBySeq: new Map() }
  const session: SessionInfo =
    role === 'visitor'
      ? { user: me, visitorToken: 'token', roomId: ROOM, heartbeatMs: 60_000, maxTextLength: 4000 }
      : { user: me, heartbeatMs: 60_000, maxTextLength: 4000 }
  fake.session = session
  const world: World = {
    fake,
    client: undefined as unknown as ChatClient,
    state,
    errors: [],
    problems: [],
    calls: [],
    expectedErrors: new Map(),
    possibleErrors: new Map(),
    acks: [...acks],
    trace: [],
  }
  fake.handlers.list_conversations = (_payload, ack) => ack?.({ ok: true, conversations: [emptyConversation(ROOM)] })
  const answer = (event: string) => (payload: unknown, ack: ((value: unknown) => void) | undefined) => {
    if (!ack) return
    const request = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : undefined
    const value = materialize(resolveAck(world.acks.shift(), state, request))
    remember(state, value)
    world.trace.push(`${event} ${show(payload, 120)} -> ${show(value, Number(process.env.FUZZ_TRACE ?? 200))}`)
    const schema = ACK_SCHEMA[event]
    // The client checks the answer after JSON: NaN becomes null, undefined fields vanish.
    if (schema && !check(schema as never, roundTrip(value)).ok) count(world.expectedErrors, `${event} ack:`)
    // A well-formed answer may still contradict what the client holds (another room, an id under
    // a second seq, someone else's message): each such message may be reported once.
    else count(world.possibleErrors, `${event} ack:`, messagesIn(value).length + 1)
    ack(value)
  }
  for (const event of ['send_message', 'edit_message', 'delete_message', 'get_history', 'set_conversation_status']) fake.handlers[event] = answer(event)

  const client = createChatClient({
    url: fake.url,
    role,
    ...(role === 'agent' && { token: 'agent-token' }),
    storage: memoryStorage(),
    environment: manualEnvironment(),
    socket: { transports: ['websocket'] },
    backoff: { minMs: 10, maxMs: 50 },
  })
  clients.add(client)
  world.client = client
  client.on('error', (error) => void world.errors.push(error))
  client.messages.listen((list) => {
    for (const problem of listProblems(list, role)) world.problems.push(`during the run: ${problem}`)
    for (const clientId of state.sent) {
      if (!list.some((m) => m.clientId === clientId)) world.problems.push(`during the run: sent message ${clientId} vanished`)
    }
  })
  client.conversations.listen((list) => void world.problems.push(...conversationsProblems(list)))
  await until(() => client.status.get() === 'connected', 'the client to connect')
  if (role === 'agent') await client.openConversation(ROOM)
  return world
}

function roundTrip(value: unknown): unknown {
  const text = JSON.stringify(value)
  return text === undefined ? undefined : JSON.parse(text)
}

function socketOf(world: World): ServerSocket {
  const sockets = world.fake.sockets()
  if (sockets.length !== 1) throw new Error(`expected one socket, found ${sockets.length}`)
  return sockets[0]!
}

async function currentSocket(world: World): Promise<ServerSocket> {
  await until(() => world.fake.sockets().length === 1 && world.client.status.get() === 'connected', 'one connected socket')
  return socketOf(world)
}

/** Runs a public method; any failure must be a ChatError (never a TypeError from inside). */
function call(world: World, what: string, fn: () => unknown): void {
  try {
    const result = fn()
    if (result instanceof Promise) {
      world.calls.push(
        result.then(
          () => undefined,
          (error: unknown) => {
            if (!(error instanceof ChatError)) world.problems.push(`${what} rejected with a non-ChatError: ${String(error)}`)
          },
        ),
      )
    }
  } catch (error) {
    if (!(error instanceof ChatError)) world.problems.push(`${what} threw a non-ChatError: ${String(error)}`)
  }
}

function own(world: World): ChatMessage[] {
  return world.client.messages.get().filter((m) => m.own)
}

async function execute(world: World, command: Command): Promise<void> {
  const { client, state } = world
  switch (command.kind) {
    case 'broadcast': {
      const payload = materialize(resolveBroadcast(command.spec, state))
      remember(state, payload)
      const name = command.spec.name
      if (VALIDATED.includes(name) && !check(schemas.broadcasts[name as keyof typeof schemas.broadcasts] as never, roundTrip(payload)).ok) {
        count(world.expectedErrors, `${name}:`)
      } else count(world.possibleErrors, `${name}:`, messagesIn(payload).length)
      socketOf(world).emit(name, payload)
      return
    }
    case 'send':
      call(world, 'send', () => {
        const message = client.send(command.text)
        state.sent.push(message.clientId)
      })
      return
    case 'retry': {
      const failed = client.messages.get().filter((m) => m.status === 'failed')
      const target = pickFrom(failed, command.pick)
      call(world, 'retry', () => client.retry(target?.clientId ?? 'no-such-client-id'))
      return
    }
    case 'edit': {
      const target = pickFrom(own(world).filter((m) => m.id), command.pick)
      call(world, 'edit', () => client.edit(target?.id ?? 'no-such-id', command.text))
      return
    }
    case 'remove': {
      const target = pickFrom(own(world).filter((m) => m.id), command.pick)
      call(world, 'remove', () => client.remove(target?.id ?? 'no-such-id'))
      return
    }
    case 'loadOlder':
      call(world, 'loadOlder', () => client.loadOlder())
      return
    case 'markRead':
      call(world, 'markRead', () => client.markRead())
      return
    case 'typing':
      call(world, 'setTyping', () => client.setTyping(command.isTyping))
      return
    case 'setStatus':
      if (state.role === 'agent') call(world, 'setConversationStatus', () => client.setConversationStatus(command.status))
      return
    case 'pause':
      await sleep(command.ms)
      return
  }
}

/** Waits until the server has heard nothing new for a while and every method call has settled. */
async function quiet(world: World): Promise<void> {
  await Promise.race([Promise.all(world.calls), sleep(3000)])
  let seen = -1
  for (let i = 0; i < 100 && world.fake.received.length !== seen; i++) {
    seen = world.fake.received.length
    await sleep(25)
  }
  await drain()
}

async function finish(world: World): Promise<void> {
  world.client.destroy()
  clients.delete(world.client)
  fakes.delete(world.fake)
  await world.fake.close()
}

/** After whatever came before, a valid message from the other side must still show up. */
async function stillWorks(world: World): Promise<string[]> {
  const { state } = world
  const confirmed = world.client.messages.get().filter((m) => m.seq !== undefined)
  const seq = Math.max(state.maxSeq, ...confirmed.map((m) => m.seq!)) + 1
  const author = state.role === 'visitor' ? OTHER_AGENT : OTHER_VISITOR
  const message: WireMessage = { id: 'final-id', clientId: 'final-client-id', roomId: ROOM, seq, author, text: 'still here', createdAt: 1 }
  // It may open a gap, and the answers to the gap fetch are generated too: they must not clash
  // with it (nor pick it to edit or delete).
  remember(state, message, false)
  try {
    ;(await currentSocket(world)).emit('new_message', message)
    await until(() => world.client.messages.get().some((m) => m.id === 'final-id' && m.text === 'still here'), 'the final valid message')
    return []
  } catch {
    return [`a valid new_message (seq ${seq}) did not show up; messages: ${show(world.client.messages.get(), 1500)}`]
  }
}

/** Each malformed broadcast and ack reported exactly once, and nothing valid reported as malformed. */
function errorProblems(world: World): string[] {
  const problems: string[] = []
  const reported = new Map<string, number>()
  for (const error of world.errors) {
    if (!(error instanceof ChatError)) problems.push(`error event with a non-ChatError: ${String(error)}`)
    // Messages read `new_message: seq: …` or `send_message ack: …`.
    else if (error.code === 'invalid_event') count(reported, error.message.slice(0, error.message.indexOf(':') + 1))
  }
  const keys = new Set([...world.expectedErrors.keys(), ...reported.keys()])
  for (const key of keys) {
    const sent = world.expectedErrors.get(key) ?? 0
    const got = reported.get(key) ?? 0
    // Every malformed payload is reported exactly once; contradictions in well-formed ones at most
    // once per message.
    const possible = world.possibleErrors.get(key) ?? 0
    if (got < sent || got > sent + possible) problems.push(`${sent} malformed (+${possible} possibly contradicting) "${key}" sent, ${got} reported on error`)
  }
  const garbage = [...world.expectedErrors.values()].reduce((x, y) => x + y, 0)
  if (garbage > 0 && world.errors.length === 0) problems.push('garbage was sent and nothing was reported')
  return problems
}

describe('client under a hostile raw server', () => {
  it(
    'survives generated broadcasts and acks: well-formed messages, every fault reported, nothing sent lost',
    async () => {
      let runs = 0
      let totalCommands = 0
      let totalAcks = 0
      const started = Date.now()
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom<'visitor' | 'agent'>('visitor', 'agent'),
          fc.array(commandArb, { minLength: 1, maxLength: MAX_COMMANDS, size: 'max' }),
          fc.array(ackArb, { maxLength: 40, size: 'max' }),
          async (role, commands, acks) => {
            runs++
            const faultsBefore = faults.length
            const world = await startWorld(role, acks)
            try {
              for (const command of commands) await execute(world, command)
              await quiet(world)
              totalCommands += commands.length
              totalAcks += acks.length - world.acks.length
              const final = await stillWorks(world)
              // The final message may open a gap, and the gap fetch gets a generated answer too.
              await quiet(world)
              const list = world.client.messages.get()
              const problems = [
                ...world.problems,
                ...listProblems(list, role),
                ...world.state.sent.filter((id) => !list.some((m) => m.clientId === id)).map((id) => `sent message ${id} is gone`),
                ...errorProblems(world),
                ...final,
                ...(world.client.status.get() === 'connected' ? [] : [`status ${world.client.status.get()}`]),
                ...faults.slice(faultsBefore).map(describeFault),
              ]
              const context = [
                ...world.trace,
                ...world.errors.map((e) => `error ${e.code}: ${e.message}`),
                `messages: ${show(list.map((m) => [m.seq, m.id, m.clientId, m.status]), 3000)}`,
              ].join('\n')
              expect([...new Set(problems)], context).toEqual([])
            } finally {
              await finish(world)
            }
          },
        ),
        fuzzParameters(RUNS),
      )
      console.info(`client fuzz: ${totalCommands} commands, ${totalAcks} generated acks in ${runs} runs, ${Date.now() - started} ms`)
    },
    120_000,
  )

  it(
    'reports a malformed session, reconnects, keeps the unsent messages, and still shows a valid message',
    async () => {
      const sessionPath = fc.constantFrom<Path>(['user'], ['user', 'id'], ['user', 'role'], ['roomId'], ['heartbeatMs'], ['maxTextLength'], ['visitorToken'], ['identityError'])
      const sessionMutation: fc.Arbitrary<Mutation> = fc.oneof(
        { weight: 3, arbitrary: fc.record({ op: fc.constant('set' as const), path: sessionPath, value: hostileValue }) },
        fc.record({ op: fc.constant('delete' as const), path: sessionPath }),
      )
      const sessionArb: fc.Arbitrary<Shape<null>> = fc.oneof(
        { weight: 3, arbitrary: fc.record({ kind: fc.constant('near' as const), spec: fc.constant(null), mutations: fc.array(sessionMutation, { minLength: 1, maxLength: 2 }) }) },
        fc.record({ kind: fc.constant('raw' as const), value: hostileValue }),
      )
      await fc.assert(
        fc.asyncProperty(sessionArb, async (shape) => {
          const valid = { user: { id: 'v1', role: 'visitor' }, visitorToken: 'token', roomId: ROOM, heartbeatMs: 60_000, maxTextLength: 4000 }
          const session = materialize(resolveShape(shape, () => valid))
          const invalid = !check(schemas.broadcasts.session, roundTrip(session)).ok
          // A mutation that leaves the session valid (say, another room id) is a different test.
          fc.pre(invalid)
          const faultsBefore = faults.length
          const world = await startWorld('visitor', [])
          try {
            // Nobody answers sends from now on: they must wait, and go out again after the reconnect.
            world.fake.handlers.send_message = () => {}
            const message = world.client.send('kept across reconnect')
            world.state.sent.push(message.clientId)
            const statuses: string[] = []
            world.client.status.listen((s) => void statuses.push(s))
            socketOf(world).emit('session', session)
            const problems: string[] = []
            await until(() => world.client.status.get() === 'connected' && statuses.includes('reconnecting'), 'a reconnect').catch((e: Error) =>
              problems.push(e.message),
            )
            const reported = world.errors.filter((e) => e.code === 'invalid_event' && e.message.startsWith('session:')).length
            if (reported !== 1) problems.push(`malformed session reported ${reported} times`)
            problems.push(...faults.slice(faultsBefore).map(describeFault))
            problems.push(...listProblems(world.client.messages.get(), 'visitor'))
            if (!world.client.messages.get().some((m) => m.clientId === message.clientId && m.status === 'pending')) problems.push('the unsent message is gone')
            problems.push(...(await stillWorks(world)))
            expect(problems, show(session)).toEqual([])
          } finally {
            await finish(world)
          }
        }),
        fuzzParameters(SESSION_RUNS),
      )
    },
    60_000,
  )
})
