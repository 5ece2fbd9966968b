/**
 * The README's protocol section is a contract: a third party writes a client or a server from it.
 * This suite reads the README's two event tables and drives a plain socket.io-client through every
 * event they list, against the real server with its default limits, checking each payload with
 * the protocol's schemas and each "when" the table states. An event in the README that the suite
 * cannot drive, or an event of the protocol missing from the README, fails it.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { check, PROTOCOL_VERSION, requestSchemas, schemas } from '../../src/protocol'
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/protocol'
import { DEFAULT_RATE_LIMITS } from '../../src/server'
import { AGENT_AUTH, nextEvent, record, request, settle, useHarness, VISITOR_AUTH } from './helpers'

const harness = useHarness()
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')

/** The event names in the first column of the table that follows `heading`. */
function eventsOfTable(heading: string): string[] {
  const at = readme.indexOf(heading)
  if (at === -1) throw new Error(`README has no "${heading}"`)
  const rows = readme.slice(at).split('\n').slice(1)
  const table = rows.slice(rows.findIndex((line) => line.startsWith('|')))
  const body = table.slice(0, table.findIndex((line) => !line.startsWith('|'))).slice(2)
  return body.flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([a-z_]+)`/g)].map((match) => match[1]!))
}

async function world() {
  const server = await harness.start({ rateLimits: DEFAULT_RATE_LIMITS, heartbeatMs: 200 })
  const visitor = await harness.connect(server, VISITOR_AUTH)
  const roomId = visitor.session.roomId ?? ''
  await request(visitor.socket, 'join_room', { roomId })
  const first = await request(visitor.socket, 'send_message', { roomId, clientId: 'hello', text: 'Halo' })
  if (!first.ok) throw new Error('first message refused')
  const agent = await harness.connect(server, AGENT_AUTH)
  await request(agent.socket, 'join_room', { roomId })
  return { server, visitor, agent, roomId, first: first.message }
}

describe('the README’s protocol tables', () => {
  const serverEvents = eventsOfTable('Server → client:')
  const clientEvents = eventsOfTable('Client → server')

  it('list exactly the events the protocol has', () => {
    const protocolClientEvents = Object.keys(requestSchemas.requests).sort()
    const protocolServerEvents = Object.keys(schemas.broadcasts).sort()
    expect([...clientEvents].sort()).toEqual(protocolClientEvents)
    expect([...serverEvents].sort()).toEqual(protocolServerEvents)
  })

  it('say what the server sends, and when', async () => {
    const drivers: { [K in keyof ServerToClientEvents]: () => Promise<void> } = {
      async session() {
        const { server } = await world()
        const fresh = await harness.connect(server, VISITOR_AUTH)
        expect(check(schemas.broadcasts.session, fresh.session).ok).toBe(true)
        expect(fresh.session.roomId).toBeTruthy()
        expect(fresh.session.visitorToken).toBeTruthy()
        // "the same one again for a returning visitor"
        const back = await harness.connect(server, { ...VISITOR_AUTH, visitorId: fresh.session.user.id, token: fresh.session.visitorToken })
        expect(back.session.visitorToken).toBe(fresh.session.visitorToken)
        const agent = await harness.connect(server, AGENT_AUTH)
        expect(agent.session.roomId).toBeUndefined()
        expect(agent.session.visitorToken).toBeUndefined()
        // "reactions lists the emoji the server offers"
        expect(agent.session.reactions).toEqual(['👍', '❤️', '😂', '😮', '😢', '🙏'])
      },
      async new_message() {
        const { server, visitor, agent, roomId } = await world()
        const otherTab = await harness.connect(server, { ...VISITOR_AUTH, visitorId: visitor.session.user.id, token: visitor.session.visitorToken })
        await request(otherTab.socket, 'join_room', { roomId })
        const atSender = record(visitor.socket, 'new_message')
        const atAgent = nextEvent(agent.socket, 'new_message')
        const atOtherTab = nextEvent(otherTab.socket, 'new_message')
        await request(visitor.socket, 'send_message', { roomId, clientId: 'second', text: 'Ada orang?' })
        for (const message of [await atAgent, await atOtherTab]) {
          expect(check(schemas.broadcasts.new_message, message).ok).toBe(true)
          expect(message).toMatchObject({ seq: 2, clientId: 'second' })
        }
        await settle(visitor.socket)
        expect(atSender).toEqual([]) // the sending connection learns from its ack
      },
      async message_edited() {
        const { visitor, agent, roomId, first } = await world()
        const edited = nextEvent(agent.socket, 'message_edited')
        await request(visitor.socket, 'edit_message', { roomId, id: first.id, text: 'Halo!' })
        const message = await edited
        expect(check(schemas.broadcasts.message_edited, message).ok).toBe(true)
        expect(message).toMatchObject({ text: 'Halo!', changeSeq: 1 })
      },
      async message_deleted() {
        const { visitor, agent, roomId, first } = await world()
        const deleted = nextEvent(agent.socket, 'message_deleted')
        await request(visitor.socket, 'delete_message', { roomId, id: first.id })
        expect(await deleted).toMatchObject({ text: '', deleted: true, changeSeq: 1 })
      },
      async message_reacted() {
        const { visitor, agent, roomId, first } = await world()
        const reacted = nextEvent(visitor.socket, 'message_reacted')
        await request(agent.socket, 'react_message', { roomId, id: first.id, emoji: '❤️', on: true })
        const message = await reacted
        expect(check(schemas.broadcasts.message_reacted, message).ok).toBe(true)
        expect(message).toMatchObject({ id: first.id, reactions: [{ emoji: '❤️', by: [agent.session.user.id] }], changeSeq: 1 })
        // "a repeat changes nothing": no change number, no broadcast.
        const heard = record(visitor.socket, 'message_reacted')
        expect(await request(agent.socket, 'react_message', { roomId, id: first.id, emoji: '❤️', on: true })).toMatchObject({ ok: true, message: { changeSeq: 1 } })
        await settle(visitor.socket)
        expect(heard).toEqual([])
      },
      async message_status_update() {
        const { visitor, agent, roomId } = await world()
        const update = nextEvent(visitor.socket, 'message_status_update')
        await request(agent.socket, 'mark_read', { roomId, upToSeq: 1 })
        const payload = await update
        expect(check(schemas.broadcasts.message_status_update, payload).ok).toBe(true)
        expect(payload.watermarks.agent.read).toBe(1)
      },
      async typing_indicator() {
        const { visitor, agent, roomId } = await world()
        const atVisitor = nextEvent(visitor.socket, 'typing_indicator')
        const atAgent = record(agent.socket, 'typing_indicator')
        await request(agent.socket, 'typing_indicator', { roomId, isTyping: true })
        expect(await atVisitor).toMatchObject({ roomId, isTyping: true, user: { role: 'agent' } })
        await settle(agent.socket)
        expect(atAgent).toEqual([]) // "someone else"
      },
      async connection_status_update() {
        const { visitor, agent, roomId } = await world()
        const left = nextEvent(visitor.socket, 'connection_status_update', (u) => !u.presence.agentConnected)
        await request(agent.socket, 'leave_room', { roomId })
        const payload = await left
        expect(check(schemas.broadcasts.connection_status_update, payload).ok).toBe(true)
        const joined = nextEvent(visitor.socket, 'connection_status_update', (u) => u.presence.agentConnected)
        await request(agent.socket, 'join_room', { roomId })
        expect((await joined).presence).toMatchObject({ visitorConnected: true, agentConnected: true, totalVisitor: 1, totalAgent: 1 })
      },
      async conversation_updated() {
        const { visitor, agent, roomId } = await world()
        const atAgent = nextEvent(agent.socket, 'conversation_updated', (c) => c.lastSeq === 2)
        await request(visitor.socket, 'send_message', { roomId, clientId: 'two', text: 'again' })
        const listed = await atAgent
        expect(check(schemas.broadcasts.conversation_updated, listed).ok).toBe(true)
        const atVisitor = nextEvent(visitor.socket, 'conversation_updated')
        await request(agent.socket, 'set_conversation_status', { roomId, status: 'closed' })
        expect((await atVisitor).status).toBe('closed')
      },
      async availability_update() {
        const { visitor, agent } = await world()
        const away = nextEvent(visitor.socket, 'availability_update', (a) => !a.agentsOnline)
        agent.socket.disconnect()
        const payload = await away
        expect(check(schemas.broadcasts.availability_update, payload).ok).toBe(true)
        expect(payload).toEqual({ agentsOnline: false, withinHours: true })
      },
      async agent_read() {
        const { server, visitor, agent, roomId } = await world()
        // "every connection of that agent": a second tab of the same agent hears the first one's read.
        const otherTab = await harness.connect(server, AGENT_AUTH)
        const atOtherTab = nextEvent(otherTab.socket, 'agent_read')
        const atVisitor = record(visitor.socket, 'agent_read')
        await request(agent.socket, 'mark_read', { roomId, upToSeq: 1 })
        const payload = await atOtherTab
        expect(check(schemas.broadcasts.agent_read, payload).ok).toBe(true)
        expect(payload).toEqual({ roomId, upToSeq: 1, visitorMessages: 1 })
        await settle(visitor.socket)
        expect(atVisitor).toEqual([])
      },
      async heartbeat() {
        const { visitor } = await world()
        const beat = await nextEvent(visitor.socket, 'heartbeat')
        expect(check(schemas.broadcasts.heartbeat, beat).ok).toBe(true)
      },
    }
    for (const event of serverEvents) {
      const driver = drivers[event as keyof ServerToClientEvents]
      expect(driver, `no driver for README event ${event}`).toBeDefined()
      await driver()
    }
  })

  it('say what each request takes and answers', async () => {
    const { visitor, agent, roomId, first } = await world()
    const acks = schemas.ackOf
    const requests: { [K in keyof ClientToServerEvents]: () => Promise<unknown> } = {
      join_room: () => request(visitor.socket, 'join_room', { roomId, afterSeq: 0, limit: 10 }),
      leave_room: () => request(agent.socket, 'leave_room', { roomId }),
      send_message: () => request(agent.socket, 'send_message', { roomId, clientId: 'from-agent', text: 'Selamat pagi' }),
      edit_message: () => request(visitor.socket, 'edit_message', { roomId, id: first.id, text: 'Halo, edited' }),
      react_message: () => request(agent.socket, 'react_message', { roomId, id: first.id, emoji: '👍', on: true }),
      delete_message: () => request(visitor.socket, 'delete_message', { roomId, id: first.id }),
      get_history: () => request(visitor.socket, 'get_history', { roomId, beforeSeq: 3, limit: 5 }),
      get_changes: () => request(visitor.socket, 'get_changes', { roomId, afterChangeSeq: 0 }),
      typing_indicator: () => request(visitor.socket, 'typing_indicator', { roomId, isTyping: false }),
      mark_delivered: () => request(visitor.socket, 'mark_delivered', { roomId, upToSeq: 2 }),
      mark_read: () => request(visitor.socket, 'mark_read', { roomId, upToSeq: 2 }),
      set_conversation_status: () => request(agent.socket, 'set_conversation_status', { roomId, status: 'pending' }),
      list_conversations: () => request(agent.socket, 'list_conversations', {}),
      search_messages: () => request(agent.socket, 'search_messages', { text: 'selamat' }),
      assign_conversation: () => request(agent.socket, 'assign_conversation', { roomId, agentId: agent.session.user.id }),
      update_context: () => request(visitor.socket, 'update_context', { roomId, context: { page: { url: 'https://toko.example/kopi', at: 1 } } }),
      update_contact: () => request(visitor.socket, 'update_contact', { roomId, contact: { name: 'Ani', email: 'ani@toko.example' } }),
    }
    for (const event of clientEvents) {
      const send = requests[event as keyof ClientToServerEvents]
      expect(send, `no request for README event ${event}`).toBeDefined()
      const ack = await send()
      expect(ack, event).toMatchObject({ ok: true })
      const parsed = check(acks[event as keyof ClientToServerEvents] as never, ack)
      expect(parsed.ok, `${event}: ${parsed.ok ? '' : parsed.reason}`).toBe(true)
    }
    // What the changes answer holds after the edit, the reaction and the delete above: the
    // deleted message, without the reaction it had.
    const changes = await request(visitor.socket, 'get_changes', { roomId, afterChangeSeq: 1 })
    expect(changes).toMatchObject({ ok: true, messages: [{ id: first.id, deleted: true, changeSeq: 3 }], hasMore: false })
    expect(changes.ok && changes.messages[0]).not.toHaveProperty('reactions')
    // What the search found: the agent's message sent above.
    const found = await request(agent.socket, 'search_messages', { text: 'selamat' })
    expect(found.ok && found.messages.map((m) => m.text)).toEqual(['Selamat pagi'])
    // What the last two did: the conversation is assigned, and agents see the visitor's page.
    const listed = await request(agent.socket, 'list_conversations', { assignee: agent.session.user.id })
    expect(listed).toMatchObject({ ok: true, conversations: [{ roomId, context: { page: { url: 'https://toko.example/kopi' } }, contact: { name: 'Ani', email: 'ani@toko.example' } }] })
    // "agents only"
    expect(await request(visitor.socket, 'assign_conversation', { roomId, agentId: null })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await request(visitor.socket, 'search_messages', { text: 'halo' })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await request(visitor.socket, 'list_conversations', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await request(visitor.socket, 'set_conversation_status', { roomId, status: 'open' })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })

  it('give the handshake’s version', () => {
    expect(readme).toContain(`{ v: ${PROTOCOL_VERSION}, role:`)
  })
})
