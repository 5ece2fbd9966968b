/**
 * The reference server under hostile raw clients. fast-check generates sequences of requests —
 * every real event name plus made-up ones, payloads that are garbage or valid ones with one
 * thing wrong, with an ack callback, without, or with a non-function where the ack goes — and
 * throws them from a raw visitor socket and a raw agent socket at a real server, while a
 * legitimate visitor and agent chat beside them. After every run:
 *
 * - nothing escaped to the process (no uncaught exception, no unhandled rejection);
 * - every ack has the documented shape, with a code from the protocol's list, and never
 *   `internal`; a success has the documented payload and only concerns rooms the caller may use;
 * - a refused request left the store exactly as it was;
 * - every event the server sent any socket passes the protocol's validators, and the hostile
 *   visitor heard about no room but its own;
 * - the legitimate pair got each of its messages exactly once, in order, on both sides.
 *
 * A second property throws random handshakes at the server: each is accepted with a valid
 * `session` or refused with `{ code, message }`, and never as someone it does not prove to be.
 */
import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { io, type Socket } from 'socket.io-client'
import { afterEach, describe, expect, it } from 'vitest'
import { check, PROTOCOL_VERSION, requestSchemas, schemas } from '../../src/protocol'
import type { ClientToServerEvents, WireMessage } from '../../src/protocol'
import { createChatServer, type ChatServer } from '../../src/server'
import { ERROR_CODES, Huge, describeFault, drain, fuzzParameters, hugeString, materialize, show, sleep, trapProcessFaults, until } from './fuzz-support'

const AGENT_TOKEN = 'fuzz-agent-token'
const MAX_TEXT = 4000
const BIG = { perSecond: 1e9, burst: 1e9 }
const RATE_LIMITS = { message: BIG, typing: BIG, room: BIG, receipt: BIG }

/** Under the server's 64 KiB packet limit: a bigger packet closes the connection, by design. */
const MAX_PACKET_BYTES = 60_000

/** Runs of the request property, and the most requests in one run. */
const REQUEST_RUNS = 50
const MAX_COMMANDS = 40
const HANDSHAKE_RUNS = 120

type EventName = keyof ClientToServerEvents
const EVENTS = Object.keys(requestSchemas.requests) as EventName[]
/** Names socket.io-client refuses to emit itself; they cannot reach a server from a client. */
const CLIENT_RESERVED = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'])

const faults = trapProcessFaults()

// ---- sockets ----

const openSockets = new Set<Socket>()
const openServers = new Set<ChatServer>()

afterEach(async () => {
  for (const socket of openSockets) socket.disconnect()
  openSockets.clear()
  await Promise.all([...openServers].map((server) => server.close()))
  openServers.clear()
})

function open(url: string, auth: unknown): Socket {
  const socket = io(url, {
    auth: auth as Record<string, unknown>,
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  })
  openSockets.add(socket)
  return socket
}

function close(socket: Socket): void {
  socket.disconnect()
  openSockets.delete(socket)
}

type Outcome = { kind: 'session'; session: unknown } | { kind: 'refused'; error: Error & { data?: unknown } }

/** Resolves with the first `session` or `connect_error`; rejects if neither comes in time. */
function outcome(socket: Socket, timeoutMs = 5000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`neither session nor connect_error within ${timeoutMs} ms`)), timeoutMs)
    socket.once('session', (session: unknown) => {
      clearTimeout(timer)
      resolve({ kind: 'session', session })
    })
    socket.once('connect_error', (error: Error & { data?: unknown }) => {
      clearTimeout(timer)
      resolve({ kind: 'refused', error })
    })
  })
}

interface Participant {
  socket: Socket
  userId: string
  roomId?: string
  visitorId?: string
  token?: string
  /** Every event the server sent this socket, in order. */
  events: { event: string; payload: unknown }[]
}

async function participant(url: string, auth: Record<string, unknown>): Promise<Participant> {
  const socket = open(url, auth)
  const events: Participant['events'] = []
  socket.onAny((event: string, payload: unknown) => void events.push({ event, payload }))
  const result = await outcome(socket)
  if (result.kind !== 'session') throw new Error(`handshake refused: ${show(result.error.data)}`)
  const session = result.session as { user: { id: string }; roomId?: string; visitorToken?: string }
  return {
    socket,
    userId: session.user.id,
    ...(session.roomId !== undefined && { roomId: session.roomId, visitorId: session.user.id }),
    ...(session.visitorToken !== undefined && { token: session.visitorToken }),
    events,
  }
}

/** Emits with an ack and resolves with it; rejects when none comes within 5 s. */
function ask(socket: Socket, event: string, ...args: unknown[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    // Generous for a loaded 2-core machine; the server answers in about a millisecond.
    socket.timeout(5000).emit(event, ...args, (error: Error | null, ack: unknown) => {
      if (error) reject(new Error(`no ack for ${event} within 5 s: ${show(args)}`))
      else resolve(ack)
    })
  })
}

async function must<T extends { ok: boolean }>(promise: Promise<unknown>): Promise<T & { ok: true }> {
  const ack = (await promise) as T
  if (!ack.ok) throw new Error(`setup request refused: ${show(ack)}`)
  return ack as T & { ok: true }
}

// ---- the world of one run ----

interface World {
  server: ChatServer
  /** Events that reached the server, per socket id (counted synchronously on arrival). */
  arrivals: Map<string, number>
  attacker: { visitor: Participant; agent: Participant }
  victim: Participant
  legit: { visitor: Participant; agent: Participant; roomId: string }
  rooms: Record<RoomRef, string>
}

type RoomRef = 'own' | 'victim' | 'legit' | 'ghost' | 'upper'

async function buildWorld(): Promise<World> {
  const server = await createChatServer({ host: '127.0.0.1', port: 0, rateLimits: RATE_LIMITS, agentToken: AGENT_TOKEN })
  openServers.add(server)
  const arrivals = new Map<string, number>()
  server.io.on('connection', (socket) => {
    socket.onAny(() => void arrivals.set(socket.id, (arrivals.get(socket.id) ?? 0) + 1))
  })
  const agentAuth = { v: PROTOCOL_VERSION, role: 'agent', token: AGENT_TOKEN }
  const [attackerVisitor, attackerAgent, victim, legitVisitor, legitAgent] = await Promise.all([
    participant(server.url, { v: PROTOCOL_VERSION, role: 'visitor', name: 'Mallory' }),
    participant(server.url, agentAuth),
    participant(server.url, { v: PROTOCOL_VERSION, role: 'visitor', name: 'Victor' }),
    participant(server.url, { v: PROTOCOL_VERSION, role: 'visitor', name: 'Lena' }),
    participant(server.url, { ...agentAuth, name: 'Ayu' }),
  ])
  const own = attackerVisitor.roomId!
  const victimRoom = victim.roomId!
  const legitRoom = legitVisitor.roomId!
  await must(ask(attackerVisitor.socket, 'join_room', { roomId: own }))
  await must(ask(victim.socket, 'join_room', { roomId: victimRoom }))
  await must(ask(legitVisitor.socket, 'join_room', { roomId: legitRoom }))
  // The legit conversation exists as after its first message, but empty: the run checks that it
  // holds exactly what the legit pair sent.
  await server.store.openVisitorConversation({ id: legitVisitor.userId, role: 'visitor', name: 'Lena' }, legitRoom, Date.now())
  await must(ask(legitAgent.socket, 'join_room', { roomId: legitRoom }))
  // Some history everywhere, by both sides, so that message ids of other authors exist.
  await must(ask(attackerVisitor.socket, 'send_message', { roomId: own, clientId: randomUUID(), text: 'mine' }))
  await must(ask(legitAgent.socket, 'send_message', { roomId: own, clientId: randomUUID(), text: 'agent in attacker room' }))
  await must(ask(victim.socket, 'send_message', { roomId: victimRoom, clientId: randomUUID(), text: 'private' }))
  await must(ask(legitAgent.socket, 'send_message', { roomId: victimRoom, clientId: randomUUID(), text: 'agent in victim room' }))
  return {
    server,
    arrivals,
    attacker: { visitor: attackerVisitor, agent: attackerAgent },
    victim,
    legit: { visitor: legitVisitor, agent: legitAgent, roomId: legitRoom },
    rooms: { own, victim: victimRoom, legit: legitRoom, ghost: 'ghost-room', upper: victimRoom.toUpperCase() },
  }
}

function closeWorld(world: World): Promise<void> {
  for (const p of [world.attacker.visitor, world.attacker.agent, world.victim, world.legit.visitor, world.legit.agent]) close(p.socket)
  openServers.delete(world.server)
  return world.server.close()
}

/** Everything a client could observe of the store, minus one room (the legitimate pair's, which changes meanwhile). */
async function snapshot(world: World): Promise<unknown> {
  const store = world.server.store
  const list = await store.listConversations({ limit: 100_000 })
  const rooms: unknown[] = []
  for (const conversation of [...list].sort((a, b) => a.roomId.localeCompare(b.roomId))) {
    if (conversation.roomId === world.legit.roomId) continue
    const page = await store.getMessages(conversation.roomId, { afterSeq: 0, limit: 1_000_000 })
    rooms.push({ conversation, messages: page.messages })
  }
  return { roomIds: list.map((c) => c.roomId).sort(), rooms }
}

async function allMessages(world: World, roomId: string): Promise<WireMessage[]> {
  if (!(await world.server.store.getConversation(roomId))) return []
  return (await world.server.store.getMessages(roomId, { afterSeq: 0, limit: 1_000_000 })).messages
}

// ---- generated requests ----

/** A field of a request, or a whole payload: anything at all, or near-misses of valid values. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.anything() },
  { weight: 2, arbitrary: fc.jsonValue() },
  fc.constantFrom<unknown>(undefined, null, true, false, 0, -0, -1, 1.5, -2.5, 2 ** 53, -(2 ** 53), 1e308, NaN, Infinity, -Infinity),
  fc.constantFrom<unknown>('', ' ', '\n\t ', 'a'.repeat(129), '__proto__', 'constructor', '0', 'true', 'null'),
  fc.constantFrom<unknown>([], {}, [null], { __proto__: null }, JSON.parse('{"__proto__":{"polluted":1}}')),
  hugeString(30_000),
  fc.string({ unit: 'binary', maxLength: 40 }),
)

const textArb: fc.Arbitrary<string | Huge> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 30 }) },
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
  fc.constantFrom('', ' ', ' \n\t', '\u200b', 'x'.repeat(MAX_TEXT), 'y'.repeat(MAX_TEXT + 1)),
  hugeString(30_000),
)

const seqArb: fc.Arbitrary<number> = fc.oneof(
  fc.nat({ max: 12 }),
  fc.constantFrom(-1, 1.5, 2 ** 31, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 1e300),
)

const optional = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined, freq: 2 })

interface Template {
  room: RoomRef
  /** Which stored message of the room an id or clientId names (modulo the room's size), or none. */
  messagePick: number | undefined
  reuseClientId: boolean
  clientId: string
  text: string | Huge
  afterSeq: number | undefined
  beforeSeq: number | undefined
  upToSeq: number
  limit: number | undefined
  isTyping: boolean
  status: string
}

const templateArb: fc.Arbitrary<Template> = fc.record({
  room: fc.constantFrom<RoomRef>('own', 'own', 'own', 'victim', 'legit', 'ghost', 'upper'),
  messagePick: optional(fc.nat({ max: 1000 })),
  reuseClientId: fc.boolean(),
  clientId: fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 10 }), fc.constant('c'.repeat(128))),
  text: textArb,
  afterSeq: optional(seqArb),
  beforeSeq: optional(seqArb),
  upToSeq: seqArb,
  limit: optional(fc.oneof(fc.integer({ min: 1, max: 200 }), fc.constantFrom(0, -1, 201, 1.5))),
  isTyping: fc.boolean(),
  status: fc.constantFrom('open', 'pending', 'closed', 'archived'),
})

type Mutation = { op: 'set'; key: string; value: unknown } | { op: 'delete'; key: string } | { op: 'extra'; key: string; value: unknown }

const FIELDS = ['roomId', 'clientId', 'text', 'id', 'afterSeq', 'beforeSeq', 'upToSeq', 'limit', 'isTyping', 'status']

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), key: fc.constantFrom(...FIELDS), value: hostileValue }),
  fc.record({ op: fc.constant('delete' as const), key: fc.constantFrom(...FIELDS) }),
  fc.record({
    op: fc.constant('extra' as const),
    key: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'ok', 'author', 'seq', 'role')),
    value: hostileValue,
  }),
)

type Payload = { kind: 'raw'; value: unknown } | { kind: 'near'; template: Template; mutations: Mutation[] }

const payloadArb: fc.Arbitrary<Payload> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('raw' as const), value: hostileValue }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('near' as const), template: templateArb, mutations: fc.array(mutationArb, { maxLength: 2 }) }),
  },
)

type AckMode =
  | { kind: 'ack' }
  | { kind: 'none' }
  | { kind: 'non-function'; last: unknown }
  | { kind: 'extra-args'; extra: unknown[] }
  | { kind: 'no-payload'; withAck: boolean }

const ackModeArb: fc.Arbitrary<AckMode> = fc.oneof(
  { weight: 8, arbitrary: fc.constant<AckMode>({ kind: 'ack' }) },
  { weight: 2, arbitrary: fc.constant<AckMode>({ kind: 'none' }) },
  fc.record({ kind: fc.constant('non-function' as const), last: fc.jsonValue() }),
  fc.record({ kind: fc.constant('extra-args' as const), extra: fc.array(fc.jsonValue(), { minLength: 1, maxLength: 3 }) }),
  fc.record({ kind: fc.constant('no-payload' as const), withAck: fc.boolean() }),
)

const eventArb: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 12, arbitrary: fc.constantFrom(...EVENTS) },
    fc.string({ maxLength: 12 }),
    fc.constantFrom('no_such_event', 'error', '__proto__', 'constructor', 'toString', 'session', 'new_message', 'heartbeat', 'JOIN_ROOM', 'join_room '),
  )
  .filter((name) => !CLIENT_RESERVED.has(name))

interface Command {
  actor: 'visitor' | 'agent'
  event: string
  payload: Payload
  mode: AckMode
}

const commandArb: fc.Arbitrary<Command> = fc.record({
  actor: fc.constantFrom<Command['actor']>('visitor', 'agent'),
  event: eventArb,
  payload: payloadArb,
  mode: ackModeArb,
})

/** The valid request of `event` that a template describes, before mutations. */
function baseRequest(event: string, t: Template, roomId: string, messages: WireMessage[]): Record<string, unknown> {
  const picked = t.messagePick === undefined || messages.length === 0 ? undefined : messages[t.messagePick % messages.length]
  const id = picked?.id ?? `ghost-${t.clientId}`.slice(0, 128)
  const clientId = t.reuseClientId && picked ? picked.clientId : t.clientId
  const seqs = {
    ...(t.afterSeq !== undefined && { afterSeq: t.afterSeq }),
    ...(t.limit !== undefined && { limit: t.limit }),
  }
  switch (event) {
    case 'join_room':
      return { roomId, ...seqs }
    case 'get_history':
      return { roomId, ...seqs, ...(t.beforeSeq !== undefined && { beforeSeq: t.beforeSeq }) }
    case 'send_message':
      return { roomId, clientId, text: t.text }
    case 'edit_message':
      return { roomId, id, text: t.text }
    case 'delete_message':
      return { roomId, id }
    case 'react_message':
      return { roomId, id, emoji: t.isTyping ? '👍' : t.text, on: t.isTyping }
    case 'typing_indicator':
      return { roomId, isTyping: t.isTyping }
    case 'mark_delivered':
    case 'mark_read':
      return { roomId, upToSeq: t.upToSeq }
    case 'set_conversation_status':
      return { roomId, status: t.status }
    case 'list_conversations':
      return {}
    case 'search_messages':
      return { text: t.text, ...(t.limit !== undefined && { limit: t.limit }) }
    case 'assign_conversation':
      return { roomId, agentId: t.isTyping ? null : 'agent' }
    case 'update_context':
      return { roomId, context: { page: { url: t.text, at: t.upToSeq } } }
    case 'update_contact':
      return { roomId, contact: { name: t.text, ...(t.isTyping && { email: `${t.upToSeq}@toko.example` }) } }
    default:
      return { roomId, clientId, id, text: t.text }
  }
}

function mutate(base: Record<string, unknown>, mutations: Mutation[]): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...base }
  for (const mutation of mutations) {
    if (mutation.op === 'delete') delete copy[mutation.key]
    // defineProperty, so that a key such as `__proto__` becomes an own field that goes on the wire.
    else Object.defineProperty(copy, mutation.key, { value: mutation.value, enumerable: true, writable: true, configurable: true })
  }
  return copy
}

// ---- what a run checks ----

const ACK_SCHEMAS: Record<EventName, (typeof schemas.acks)[keyof typeof schemas.acks]> = schemas.ackOf

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const isEvent = (name: string): name is EventName => (EVENTS as string[]).includes(name)

/** Problems with one ack, or an empty list. */
function ackProblems(event: string, ack: unknown, actor: Participant, actorKind: 'visitor' | 'agent', request: unknown): string[] {
  const problems: string[] = []
  if (!isRecord(ack) || typeof ack.ok !== 'boolean') return [`not an ack: ${show(ack)}`]
  if (!isEvent(event)) return [`an ack for an event nobody listens to: ${show(ack)}`]
  if (!ack.ok) {
    const error = ack.error
    if (Object.keys(ack).some((key) => key !== 'ok' && key !== 'error')) problems.push(`extra keys in a refusal: ${show(ack)}`)
    if (!isRecord(error)) return [...problems, `refusal without error: ${show(ack)}`]
    if (!(ERROR_CODES as readonly string[]).includes(error.code as string)) problems.push(`unknown code ${show(error.code)}`)
    if (typeof error.message !== 'string') problems.push(`message is not a string: ${show(error)}`)
    if (Object.keys(error).some((key) => !['code', 'message', 'retryAfterMs'].includes(key))) problems.push(`extra keys in error: ${show(error)}`)
    if (error.code === 'internal') problems.push(`internal error (a server bug, or a store failure): ${show(error)}`)
    return problems
  }
  const parsed = check(ACK_SCHEMAS[event] as never, ack)
  if (!parsed.ok) return [`ok ack breaks the protocol (${parsed.reason}): ${show(ack)}`]
  const req = isRecord(request) ? request : {}
  // Successes must concern only rooms the caller may use, and messages it wrote.
  const rooms: unknown[] = []
  if (isRecord(ack.conversation)) rooms.push(ack.conversation.roomId)
  if (isRecord(ack.message)) rooms.push(ack.message.roomId)
  if (Array.isArray(ack.messages)) for (const m of ack.messages as WireMessage[]) rooms.push(m.roomId)
  // Lists and searches span rooms: agents only, checked below.
  if (event !== 'list_conversations' && event !== 'search_messages' && rooms.some((room) => room !== req.roomId)) problems.push(`ok ack about another room than asked: ${show(ack)}`)
  if (actorKind === 'visitor') {
    if (event === 'list_conversations' || event === 'set_conversation_status' || event === 'search_messages' || event === 'assign_conversation') problems.push(`visitor allowed an agent-only ${event}`)
    if (req.roomId !== actor.roomId) problems.push(`visitor allowed ${event} in room ${show(req.roomId)}`)
  }
  // Anyone may react to anyone's message; every other change is the author's alone.
  if (isRecord(ack.message) && event !== 'send_message' && event !== 'react_message') {
    const author = ack.message.author as { id: string; role: string }
    if (author.id !== actor.userId || author.role !== actorKind) problems.push(`${event} allowed on another author's message: ${show(ack)}`)
  }
  if (event === 'send_message' && isRecord(ack.message)) {
    const author = ack.message.author as { id: string; role: string }
    // A repeated clientId answers with the stored message, which must be the sender's own.
    if (author.id !== actor.userId || author.role !== actorKind) problems.push(`send answered with another author's message: ${show(ack)}`)
    if (ack.message.clientId !== req.clientId) problems.push(`send answered with another clientId: ${show(ack)}`)
  }
  if (event === 'delete_message' && isRecord(ack.message) && (ack.message.deleted !== true || ack.message.text !== '')) {
    problems.push(`delete answered with a live message: ${show(ack)}`)
  }
  return problems
}

/** Problems with what a socket heard: every event valid, and for a visitor, only its own room. */
function eventProblems(who: string, participant: Participant, onlyRoom: string | undefined): string[] {
  const problems: string[] = []
  const broadcasts = schemas.broadcasts as Record<string, (typeof schemas.broadcasts)[keyof typeof schemas.broadcasts]>
  for (const { event, payload } of participant.events) {
    const schema = broadcasts[event]
    if (!schema) {
      problems.push(`${who} heard an unknown event ${event}`)
      continue
    }
    const parsed = check(schema as never, payload)
    if (!parsed.ok) problems.push(`${who} heard an invalid ${event} (${parsed.reason}): ${show(payload)}`)
    if (onlyRoom !== undefined && isRecord(payload) && 'roomId' in payload && payload.roomId !== onlyRoom) {
      problems.push(`${who} heard ${event} about another room: ${show(payload)}`)
    }
  }
  if (participant.events.filter((e) => e.event === 'session').length !== 1) problems.push(`${who} got other than one session`)
  return problems
}

// ---- the legitimate pair ----

interface LegitSent {
  clientId: string
  from: 'visitor' | 'agent'
  seq: number
  id: string
}

/** Visitor and agent take turns sending until `stop()` (and at least `min` each), a few ms apart. */
function chat(world: World, min: number): { stop(): void; done: Promise<LegitSent[]> } {
  let stopped = false
  const { visitor, agent, roomId } = world.legit
  const sent: LegitSent[] = []
  const send = async (from: 'visitor' | 'agent', n: number): Promise<void> => {
    const clientId = `legit-${from}-${n}-${randomUUID()}`
    const socket = from === 'visitor' ? visitor.socket : agent.socket
    const ack = (await ask(socket, 'send_message', { roomId, clientId, text: `${from} says ${n}` })) as {
      ok: boolean
      message?: WireMessage
    }
    if (!ack.ok || !ack.message) throw new Error(`legitimate ${from} message ${n} refused: ${show(ack)}`)
    sent.push({ clientId, from, seq: ack.message.seq, id: ack.message.id })
  }
  const done = (async () => {
    for (let n = 0; n < 50 && (!stopped || n < min); n++) {
      await Promise.all([send('visitor', n), send('agent', n)])
      await sleep(3)
    }
    return sent
  })()
  // Awaited at the end of the run; until then a failure must not count as an unhandled rejection.
  done.catch(() => {})
  // Each side acknowledges what it receives, as a client would.
  for (const [p, role] of [
    [visitor, 'visitor'],
    [agent, 'agent'],
  ] as const) {
    p.socket.on('new_message', (message: WireMessage) => {
      if (message.roomId === roomId && message.author.role !== role) p.socket.emit('mark_delivered', { roomId, upToSeq: message.seq })
    })
  }
  return { stop: () => void (stopped = true), done }
}

/** What `who` must hear: every message of the other side, in seq order (its own come in acks). */
function deliveryProblems(who: string, participant: Participant, ownRole: 'visitor' | 'agent', allSent: LegitSent[]): string[] {
  const sent = allSent.filter((s) => s.from !== ownRole)
  const legit = new Map(allSent.map((s) => [s.clientId, s]))
  const heard = participant.events
    .filter((e) => e.event === 'new_message' && legit.has((e.payload as WireMessage).clientId))
    .map((e) => e.payload as WireMessage)
  const expected = [...sent].sort((a, b) => a.seq - b.seq).map((s) => s.clientId)
  const problems: string[] = []
  const got = heard.map((m) => m.clientId)
  if (show(got, 1e6) !== show(expected, 1e6)) {
    problems.push(`${who} heard the legitimate messages as ${show(got.map((c) => legit.get(c)?.seq), 2000)}, expected seqs ${show(expected.map((c) => legit.get(c)?.seq), 2000)}`)
  }
  for (const m of heard) {
    const s = legit.get(m.clientId)!
    if (m.id !== s.id || m.seq !== s.seq) problems.push(`${who} heard ${m.clientId} as id ${m.id} seq ${m.seq}, acked as ${s.id} / ${s.seq}`)
  }
  return problems
}

// ---- running a command ----

interface RunLog {
  problems: string[]
  /** clientIds the hostile agent sent into the legitimate room, in any form. */
  attackerClientIdsInLegit: Set<string>
  /** Commands left out because their packet would exceed the server's size limit. */
  skipped: number
}

/** What the hostile requests got, over the whole property: `send_message ok`, `forbidden`, `no ack`… */
const outcomes = new Map<string, number>()
const tally = (key: string): void => void outcomes.set(key, (outcomes.get(key) ?? 0) + 1)

async function execute(world: World, command: Command, log: RunLog): Promise<void> {
  const actor = command.actor === 'visitor' ? world.attacker.visitor : world.attacker.agent
  const socket = actor.socket
  let request: unknown
  if (command.payload.kind === 'raw') request = materialize(command.payload.value)
  else {
    const t = command.payload.template
    const roomId = world.rooms[t.room]
    const base = baseRequest(command.event, t, roomId, await allMessages(world, roomId))
    request = materialize(mutate(base, command.payload.mutations))
  }
  if (isRecord(request) && request.roomId === world.legit.roomId && typeof request.clientId === 'string') {
    log.attackerClientIdsInLegit.add(request.clientId)
  }

  const known = isEvent(command.event)
  const wantsAck = command.mode.kind === 'ack' || command.mode.kind === 'extra-args' || (command.mode.kind === 'no-payload' && command.mode.withAck)
  const before = known && wantsAck ? await snapshot(world) : undefined
  const arrived = world.arrivals.get(socket.id!) ?? 0
  const args: unknown[] =
    command.mode.kind === 'no-payload'
      ? []
      : command.mode.kind === 'non-function'
        ? [request, command.mode.last]
        : command.mode.kind === 'extra-args'
          ? [request, ...command.mode.extra]
          : [request]
  const label = `${command.actor} ${command.event} ${show(args)}`
  if (Buffer.byteLength(JSON.stringify(args) ?? '') > MAX_PACKET_BYTES) {
    log.skipped++
    return
  }

  if (wantsAck && known) {
    const ack = await ask(socket, command.event, ...args).catch((error: Error) => {
      log.problems.push(`${label}: ${error.message}`)
      return undefined
    })
    if (ack === undefined) return
    tally(isRecord(ack) && ack.ok === true ? `${command.event} ok` : isRecord(ack) && isRecord(ack.error) ? String(ack.error.code) : 'odd')
    for (const problem of ackProblems(command.event, ack, actor, command.actor, command.mode.kind === 'no-payload' ? undefined : request)) {
      log.problems.push(`${label}: ${problem}`)
    }
    if (isRecord(ack) && ack.ok === false) {
      const after = await snapshot(world)
      if (show(after, 1e7) !== show(before, 1e7)) {
        log.problems.push(`${label}: refused with ${show(ack)} but the store changed`)
        expect(after, label).toEqual(before)
      }
    }
    return
  }
  tally('no ack asked, or unknown event')
  if (wantsAck) {
    // Nobody listens to this name: an ack must never come; wait only until it has arrived.
    socket.emit(command.event, ...args, (ack: unknown) => log.problems.push(`${label}: unexpected ack ${show(ack)}`))
  } else {
    socket.emit(command.event, ...args)
  }
  await until(() => (world.arrivals.get(socket.id!) ?? 0) > arrived, `${label} to arrive`).catch((error: Error) => {
    log.problems.push(error.message)
  })
  await drain()
}

/** The accounting of the legitimate room: dense seqs, and every message either legitimate or the hostile agent's. */
async function legitRoomProblems(world: World, sent: LegitSent[], log: RunLog): Promise<string[]> {
  const problems: string[] = []
  const messages = await allMessages(world, world.legit.roomId)
  const conversation = await world.server.store.getConversation(world.legit.roomId)
  messages.forEach((m, i) => {
    if (m.seq !== i + 1) problems.push(`legit room: message ${i} has seq ${m.seq}`)
  })
  if (conversation?.lastSeq !== messages.length) problems.push(`legit room: lastSeq ${conversation?.lastSeq}, ${messages.length} messages`)
  const legit = new Set(sent.map((s) => s.clientId))
  for (const m of messages) {
    if (legit.has(m.clientId)) continue
    if (!log.attackerClientIdsInLegit.has(m.clientId) || m.author.role !== 'agent') {
      problems.push(`legit room holds a message nobody sent: ${show(m)}`)
    }
  }
  for (const s of sent) if (!messages.some((m) => m.clientId === s.clientId && m.id === s.id)) problems.push(`legit room lost ${s.clientId}`)
  return problems
}

describe('server under hostile raw clients', () => {
  it(
    'answers every request in shape, changes nothing when it refuses, and keeps serving a real conversation',
    async () => {
      let runs = 0
      let totalCommands = 0
      let totalSkipped = 0
      const started = Date.now()
      await fc.assert(
        fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: MAX_COMMANDS, size: 'max' }), async (commands) => {
          runs++
          const faultsBefore = faults.length
          const world = await buildWorld()
          const log: RunLog = { problems: [], attackerClientIdsInLegit: new Set(), skipped: 0 }
          try {
            const legit = chat(world, 3)
            for (const command of commands) await execute(world, command, log)
            totalCommands += commands.length - log.skipped
            totalSkipped += log.skipped
            legit.stop()
            const sent = await legit.done
            // Barriers: each side's ack comes after every broadcast the server made to it before.
            await ask(world.legit.agent.socket, 'list_conversations', {})
            await ask(world.legit.visitor.socket, 'get_history', { roomId: world.legit.roomId, limit: 1 })
            await ask(world.attacker.visitor.socket, 'get_history', { roomId: world.rooms.own, limit: 1 })
            await ask(world.attacker.agent.socket, 'list_conversations', {})
            await drain()

            const problems = [
              ...log.problems,
              ...deliveryProblems('legit visitor', world.legit.visitor, 'visitor', sent),
              ...deliveryProblems('legit agent', world.legit.agent, 'agent', sent),
              ...(await legitRoomProblems(world, sent, log)),
              ...eventProblems('hostile visitor', world.attacker.visitor, world.rooms.own),
              ...eventProblems('hostile agent', world.attacker.agent, undefined),
              ...eventProblems('legit visitor', world.legit.visitor, world.legit.roomId),
              ...eventProblems('legit agent', world.legit.agent, undefined),
              ...eventProblems('victim', world.victim, world.rooms.victim),
              ...faults.slice(faultsBefore).map(describeFault),
            ]
            for (const [who, p] of Object.entries({ ...world.attacker, victim: world.victim, ...world.legit })) {
              if (typeof p === 'object' && !p.socket.connected) problems.push(`${who} was disconnected`)
            }
            expect(problems).toEqual([])
          } finally {
            await closeWorld(world)
          }
        }),
        fuzzParameters(REQUEST_RUNS),
      )
      console.info(`server fuzz: ${totalCommands} hostile requests (${totalSkipped} left out as over the packet limit) in ${runs} runs, ${Date.now() - started} ms`)
      console.info(`  outcomes: ${[...outcomes].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`)
    },
    120_000,
  )

  it(
    'accepts or refuses any handshake cleanly, and never as someone it cannot prove to be',
    async () => {
      const server = await createChatServer({ host: '127.0.0.1', port: 0, rateLimits: RATE_LIMITS, agentToken: AGENT_TOKEN })
      openServers.add(server)
      const victim = await participant(server.url, { v: PROTOCOL_VERSION, role: 'visitor' })
      close(victim.socket)
      const hex64 = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 })
      // Mostly plausible values, so that many handshakes get through; sometimes anything at all.
      const sometimes = <T>(usual: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 6, arbitrary: usual }, hostileValue)
      const ABSENT = Symbol('absent')
      const usually = <T>(absentWeight: number, arb: fc.Arbitrary<T>): fc.Arbitrary<T | typeof ABSENT> =>
        fc.oneof({ weight: absentWeight, arbitrary: fc.constant(ABSENT) }, { weight: 10 - absentWeight, arbitrary: arb })
      const identityArb = sometimes(
        fc.record(
          { userId: fc.oneof(fc.string({ maxLength: 10 }), fc.constant('u'.repeat(121))), userHash: fc.oneof(hex64, fc.string()), name: fc.string(), email: fc.string() },
          { requiredKeys: ['userId', 'userHash'] },
        ),
      )
      const recordAuth = fc
        .record({
          v: fc.oneof({ weight: 25, arbitrary: fc.constant(PROTOCOL_VERSION) }, fc.constantFrom(0, 1, 3, 1.5, -1, '1', null, NaN), hostileValue),
          role: fc.oneof({ weight: 25, arbitrary: fc.constantFrom('visitor', 'agent') }, fc.constantFrom('admin', 'Agent', ''), hostileValue),
          visitorId: usually(5, sometimes(fc.oneof({ weight: 3, arbitrary: fc.constant(victim.visitorId!) }, fc.uuid(), fc.string({ maxLength: 10 }), fc.constant('v'.repeat(129))))),
          // `right` is the agent token for agents and the victim's token for visitors.
          token: usually(
            2,
            sometimes(
              fc.oneof(
                { weight: 4, arbitrary: fc.constant('right') },
                // Near misses of both credentials, and each side's credential offered to the other.
                {
                  weight: 4,
                  arbitrary: fc.constantFrom(
                    AGENT_TOKEN,
                    `${AGENT_TOKEN} `,
                    AGENT_TOKEN.toUpperCase(),
                    AGENT_TOKEN.slice(0, -1),
                    victim.token!,
                    `${victim.token!.slice(0, -1)}${victim.token!.endsWith('A') ? 'B' : 'A'}`,
                    victim.token!.slice(0, -1),
                    't'.repeat(5000),
                  ),
                },
                fc.string({ maxLength: 20 }),
              ),
            ),
          ),
          name: usually(7, sometimes(fc.oneof(fc.string({ maxLength: 20 }), fc.constant('n'.repeat(201))))),
          identity: usually(8, identityArb),
        })
        .map((fields) => {
          // Absent, not undefined-valued: the way a real client leaves a field out.
          const auth: Record<string, unknown> = {}
          for (const [key, value] of Object.entries(fields)) if (value !== ABSENT) auth[key] = value
          if (auth.token === 'right') auth.token = auth.role === 'agent' ? AGENT_TOKEN : victim.token
          return auth
        })
      const authArb = fc.oneof({ weight: 10, arbitrary: recordAuth }, fc.object(), fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue()))
      let accepted = 0
      let refused = 0

      await fc.assert(
        fc.asyncProperty(authArb, async (generated) => {
          const faultsBefore = faults.length
          const auth = materialize(generated)
          const socket = open(server.url, auth)
          try {
            const result = await outcome(socket)
            await drain()
            // What the server saw: NaN and Infinity travel as null, undefined fields vanish.
            const a = JSON.parse(JSON.stringify(auth)) as Record<string, unknown>
            const problems = faults.slice(faultsBefore).map(describeFault)
            if (result.kind === 'refused') {
              refused++
              const data = result.error.data as { code?: unknown; message?: unknown } | undefined
              if (!isRecord(data) || !(ERROR_CODES as readonly string[]).includes(data.code as string) || typeof data.message !== 'string') {
                problems.push(`refusal without { code, message }: ${show(data)} (${result.error.message})`)
              } else if (data.code === 'internal') problems.push(`internal error on handshake ${show(auth)}`)
              if (typeof a.v === 'number' && a.v !== PROTOCOL_VERSION && data?.code !== 'unsupported_version') problems.push(`v ${a.v} refused as ${show(data)}`)
            } else {
              accepted++
              const parsed = check(schemas.broadcasts.session, result.session)
              if (!parsed.ok) problems.push(`invalid session (${parsed.reason}): ${show(result.session)}`)
              const session = result.session as { user: { id: string; role: string }; roomId?: string; identityError?: unknown }
              if (a.v !== PROTOCOL_VERSION) problems.push(`accepted protocol version ${show(a.v)}`)
              if (session.user.role !== a.role) problems.push(`asked for ${show(a.role)}, got ${session.user.role}`)
              if (session.user.role === 'agent' && a.token !== AGENT_TOKEN) problems.push(`agent accepted with token ${show(a.token)}`)
              if (session.user.role === 'visitor') {
                const resumed = session.user.id === victim.visitorId || session.roomId === victim.roomId
                if (resumed && !(a.visitorId === victim.visitorId && a.token === victim.token)) {
                  problems.push(`became the victim without its credentials: ${show(auth)}`)
                }
                if (a.visitorId !== undefined && session.user.id !== a.visitorId) problems.push(`asked to resume ${show(a.visitorId)}, became ${session.user.id}`)
                if (a.identity !== undefined && session.identityError === undefined) problems.push('an identity was accepted by a server without identitySecret')
                if (!session.roomId) problems.push('a visitor session without roomId')
              }
            }
            expect(problems, show(auth)).toEqual([])
          } finally {
            close(socket)
          }
        }),
        fuzzParameters(HANDSHAKE_RUNS),
      )
      console.info(`handshake fuzz: ${accepted} accepted, ${refused} refused`)
      expect(accepted).toBeGreaterThan(0)
      expect(refused).toBeGreaterThan(0)
    },
    60_000,
  )
})
