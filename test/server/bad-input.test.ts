/**
 * Throws everything malformed we can think of at every event and checks the server neither
 * crashes nor changes anything, then still answers a good request.
 */
import { describe, expect, it } from 'vitest'
import type { ClientToServerEvents } from '../../src/protocol'
import type { ChatServer } from '../../src/server'
import { rawEmit, rawRequest, request, settle, sleep, useHarness } from './helpers'
import type { ClientSocket } from './helpers'

const harness = useHarness()

type EventName = keyof ClientToServerEvents

/** Large, but under the default 64 KiB packet limit, so it reaches validation. */
const HUGE = 'x'.repeat(50_000)

/** Payloads no request accepts. */
const GARBAGE: unknown[] = [undefined, null, 0, 42, -1, true, 'roomId', '', HUGE, [], [1, 2], [{ roomId: 'r' }]]

/** A valid request per event, for a room the caller may use and a message it wrote. */
function validRequests(roomId: string, messageId: string): { [K in EventName]: Record<string, unknown> } {
  return {
    join_room: { roomId, afterSeq: 0, limit: 10 },
    leave_room: { roomId },
    send_message: { roomId, clientId: 'ok-client', text: 'hi' },
    edit_message: { roomId, id: messageId, text: 'edited' },
    delete_message: { roomId, id: messageId },
    react_message: { roomId, id: messageId, emoji: '👍', on: true },
    get_history: { roomId, beforeSeq: 5, afterSeq: 0, limit: 10 },
    get_changes: { roomId, afterChangeSeq: 0, limit: 10 },
    typing_indicator: { roomId, isTyping: true },
    mark_delivered: { roomId, upToSeq: 1 },
    mark_read: { roomId, upToSeq: 1 },
    set_conversation_status: { roomId, status: 'open' },
    list_conversations: { status: 'open', limit: 10 },
    assign_conversation: { roomId, agentId: 'agent' },
    update_context: { roomId, context: { locale: 'id-ID' } },
    update_contact: { roomId, contact: { email: 'ani@toko.example' } },
    search_messages: { text: 'seed', limit: 10, before: 1e15 },
  }
}

/** Values of the wrong type or out of range for each field name. */
const WRONG: Record<string, unknown[]> = {
  roomId: [undefined, null, 7, '', HUGE, 'r'.repeat(129), ['r'], { id: 'r' }],
  // A lone surrogate would not survive every store (Redis turns it into U+FFFD and merges two ids).
  clientId: [undefined, null, 7, '', 'c'.repeat(129), {}, 'a\uD800', '\uDC00b'],
  id: [undefined, null, 7, '', 'i'.repeat(129), []],
  text: [undefined, null, 7, ['hi'], { text: 'hi' }, false],
  afterSeq: [null, -1, 1.5, '3', Number.POSITIVE_INFINITY],
  afterChangeSeq: [undefined, null, -1, 0.5, '0'],
  beforeSeq: [null, -1, 2.5, '3'],
  limit: [null, 0, -1, 201, 1.5, '10'],
  isTyping: [undefined, null, 'yes', 1],
  upToSeq: [undefined, null, -3, 1.5, '2'],
  status: [undefined, null, 'archived', 1],
  agentId: [undefined, 7, '', 'a'.repeat(129)],
  context: [undefined, null, 'page', [], { visits: -1 }, { page: { url: 7, at: 1 } }],
  contact: [undefined, null, 'ani', [], { email: 7 }, { name: 'n'.repeat(201) }, { fields: { 'Bad Id': 'x' } }, { fields: { ok: 7 } }],
  before: [null, '5', Number.NaN, Number.POSITIVE_INFINITY],
  emoji: [undefined, null, 7, '', 'x'.repeat(17), ['👍']],
  on: [undefined, null, 'yes', 1],
}

/** Every malformed variant of a valid request: each field broken on its own, then whole garbage. */
function malformed(valid: Record<string, unknown>): unknown[] {
  const variants: unknown[] = []
  for (const key of Object.keys(valid)) {
    for (const bad of WRONG[key] ?? []) {
      const copy: Record<string, unknown> = { ...valid }
      if (bad === undefined) delete copy[key]
      else copy[key] = bad
      variants.push(copy)
    }
  }
  return [...variants, ...GARBAGE]
}

async function snapshot(server: ChatServer, roomId: string) {
  return {
    conversation: await server.store.getConversation(roomId),
    messages: await server.store.getMessages(roomId, { afterSeq: 0, limit: 200 }),
    list: await server.store.listConversations({ limit: 100 }),
  }
}

async function hammer(socket: ClientSocket, event: EventName, valid: Record<string, unknown>): Promise<void> {
  for (const payload of malformed(valid)) {
    const label = `${event} ${JSON.stringify(payload)?.slice(0, 80)}`
    const ack = (await rawRequest(socket, event, payload)) as { ok: boolean; error?: { code: string } }
    if (event === 'list_conversations' && typeof payload === 'object' && payload !== null) {
      // `{}` has no fields to break, and any object-like value passes as one.
      expect(typeof ack.ok, label).toBe('boolean')
    } else {
      expect(ack, label).toMatchObject({ ok: false, error: { code: 'bad_request' } })
    }
    // The same payload without an ack, with a non-function where the ack goes, and with extra args.
    rawEmit(socket, event, payload)
    rawEmit(socket, event, payload, 'not-a-function')
    rawEmit(socket, event, payload, 12, null)
  }
  rawEmit(socket, event)
  const bare = (await rawRequest(socket, event)) as { ok: boolean; error?: { code: string } }
  if (event !== 'list_conversations') expect(bare, `${event} with no payload`).toMatchObject({ ok: false, error: { code: 'bad_request' } })
}

describe('bad input', () => {
  it('refuses malformed requests for every event without changing anything', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    const agent = await harness.agent(server, visitor.roomId)
    const roomId = visitor.roomId
    const sent = await request(agent.socket, 'send_message', { roomId, clientId: 'seed', text: 'seed' })
    if (!sent.ok) throw new Error('seed failed')
    const before = await snapshot(server, roomId)

    const valid = validRequests(roomId, sent.message.id)
    for (const event of Object.keys(valid) as EventName[]) await hammer(agent.socket, event, valid[event])
    for (const event of ['send_message', 'join_room', 'mark_read', 'typing_indicator'] as const) {
      await hammer(visitor.socket, event, valid[event])
    }
    // Names nobody listens to, and a name that means something to event emitters.
    rawEmit(agent.socket, 'no_such_event', { roomId })
    rawEmit(agent.socket, 'error', { roomId })
    rawEmit(agent.socket, '__proto__', {})
    await settle(agent.socket)
    await sleep(20)

    expect(await snapshot(server, roomId)).toEqual(before)
    expect(agent.socket.connected).toBe(true)
    expect(visitor.socket.connected).toBe(true)
    const good = await request(visitor.socket, 'send_message', { roomId, clientId: 'after', text: 'still here' })
    expect(good).toMatchObject({ ok: true, message: { seq: 2, text: 'still here' } })
  })

  it('answers unknown rooms and messages with not_found, not a crash', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    const agent = await harness.agent(server)
    const ghost = 'ghost-room'
    const valid = validRequests(ghost, 'ghost-message')
    for (const event of Object.keys(valid) as EventName[]) {
      // Requests over every conversation name no room; a context is the visitors' to report.
      if (event === 'list_conversations' || event === 'search_messages' || event === 'update_context' || event === 'update_contact') continue
      const ack = await rawRequest(agent.socket, event, valid[event])
      expect(ack, event).toMatchObject({ ok: false, error: { code: 'not_found' } })
    }
    const edit = await request(visitor.socket, 'edit_message', { roomId: visitor.roomId, id: 'ghost', text: 'x' })
    expect(edit).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })

  it('answers a store failure with internal and keeps serving', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    const store = server.store
    const original = store.appendMessage.bind(store)
    let fail = true
    store.appendMessage = async (...args) => {
      if (fail) throw new Error('disk on fire')
      return original(...args)
    }
    const failed = await request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: 'c1', text: 'hi' })
    expect(failed).toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(JSON.stringify(failed)).not.toContain('disk on fire')
    fail = false
    const retried = await request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: 'c1', text: 'hi' })
    expect(retried).toMatchObject({ ok: true, message: { seq: 1 } })
  })

  it('drops a connection whose packet exceeds maxPayloadBytes and keeps serving the others', async () => {
    const server = await harness.start({ maxPayloadBytes: 10_000 })
    const bystander = await harness.visitor(server)
    const flooder = await harness.visitor(server)
    const dropped = new Promise<string>((resolve) => flooder.socket.once('disconnect', (reason) => resolve(reason)))
    flooder.socket.emit('send_message', { roomId: flooder.roomId, clientId: 'big', text: 'x'.repeat(20_000) }, () => {})
    expect(await dropped).toMatch(/close/)
    const ok = await request(bystander.socket, 'send_message', { roomId: bystander.roomId, clientId: 'c1', text: 'still here' })
    expect(ok).toMatchObject({ ok: true, message: { seq: 1 } })
    expect((await server.store.getMessages(flooder.roomId, { limit: 10 })).messages).toEqual([])
  })
})
