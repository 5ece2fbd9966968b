/**
 * Two server nodes in this process sharing one Redis: what crosses between them (messages,
 * presence, agents' updates) and what must not be multiplied (heartbeats). The same with real
 * processes, a balancer and a crash is test/scale/multi-node.test.ts.
 */
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createChatServer } from '../../src/server'
import type { ChatServer } from '../../src/server'
import { useRedisServer } from '../support/redis-server'
import { nextEvent, record, request, settle, sleep, useHarness } from './helpers'

const redis = useRedisServer()
const harness = useHarness()

async function twoNodes(extra: { heartbeatMs?: number } = {}): Promise<[ChatServer, ChatServer]> {
  const shared = { secret: 'shared-secret', redis: { url: redis.url, keyPrefix: `nodes:${randomUUID()}:` }, ...extra }
  return [await harness.start(shared), await harness.start(shared)]
}

describe('two nodes on one Redis', () => {
  it('carries messages, presence and agents’ updates from one node to the other', async () => {
    const [one, two] = await twoNodes()
    const watcher = await harness.agent(two)
    const visitor = await harness.connect(one, { v: 2, role: 'visitor' })
    const roomId = visitor.session.roomId ?? ''

    expect(await request(visitor.socket, 'join_room', { roomId })).toMatchObject({ ok: true })
    // The first message creates the conversation; agents on the other node hear of it.
    const listed = nextEvent(watcher.socket, 'conversation_updated', (c) => c.roomId === roomId)
    await request(visitor.socket, 'send_message', { roomId, clientId: 'c0', text: 'hello' })
    expect(await listed).toMatchObject({ lastSeq: 1, lastMessage: { text: 'hello' }, presence: { totalVisitor: 1 } })

    const agentHere = nextEvent(visitor.socket, 'connection_status_update', (u) => u.presence.agentConnected)
    const agent = await harness.agent(two, roomId)
    expect((await agentHere).presence).toMatchObject({ totalVisitor: 1, totalAgent: 1 })

    const toAgent = nextEvent(agent.socket, 'new_message', (m) => m.text === 'from node one')
    await request(visitor.socket, 'send_message', { roomId, clientId: 'c1', text: 'from node one' })
    expect((await toAgent).seq).toBe(2)
    const toVisitor = nextEvent(visitor.socket, 'new_message', (m) => m.text === 'from node two')
    await request(agent.socket, 'send_message', { roomId, clientId: 'c2', text: 'from node two' })
    expect((await toVisitor).seq).toBe(3)

    const typing = nextEvent(visitor.socket, 'typing_indicator')
    await request(agent.socket, 'typing_indicator', { roomId, isTyping: true })
    expect(await typing).toMatchObject({ roomId, isTyping: true, user: { role: 'agent' } })

    const res = await fetch(`${two.url}/api/session/${roomId}/connection-status`)
    expect(((await res.json()) as { data: unknown }).data).toMatchObject({ totalCustomer: 1, totalAgent: 1 })
  })

  it('lets a visitor resume on the other node, catching up by seq', async () => {
    const [one, two] = await twoNodes()
    const first = await harness.visitor(one)
    await request(first.socket, 'send_message', { roomId: first.roomId, clientId: 'a', text: 'one' })
    first.socket.disconnect()
    const agent = await harness.agent(one, first.roomId)
    await request(agent.socket, 'send_message', { roomId: first.roomId, clientId: 'b', text: 'two' })

    const again = await harness.connect(two, {
      v: 2,
      role: 'visitor',
      visitorId: first.session.user.id,
      token: first.session.visitorToken,
    })
    expect(again.session.roomId).toBe(first.roomId)
    const joined = await request(again.socket, 'join_room', { roomId: first.roomId, afterSeq: 1 })
    expect(joined.ok && joined.messages.map((m) => m.text)).toEqual(['two'])
    // A retransmission through the other node is answered with the stored copy, not stored twice.
    const repeat = await request(again.socket, 'send_message', { roomId: first.roomId, clientId: 'a', text: 'one' })
    expect(repeat.ok && repeat.message.seq).toBe(1)
  })

  it('announces a message its node stored but died before broadcasting, once the author retries elsewhere', async () => {
    const [one, two] = await twoNodes()
    const visitor = await harness.visitor(one)
    const agent = await harness.agent(two, visitor.roomId)
    // What a node leaves behind when killed between the store's reply and its broadcast.
    const { message: orphan } = await one.store.appendMessage(
      { roomId: visitor.roomId, clientId: 'orphan', author: visitor.session.user, text: 'stored, never sent', createdAt: Date.now() - 1000 },
      'orphan-id',
    )
    await one.close()
    const retry = await harness.visitor(two, { v: 2, role: 'visitor', visitorId: visitor.session.user.id, token: visitor.session.visitorToken })
    const arrived = nextEvent(agent.socket, 'new_message', (m) => m.id === 'orphan-id')
    await request(retry.socket, 'send_message', { roomId: visitor.roomId, clientId: 'orphan', text: 'stored, never sent' })
    expect(await arrived).toEqual(orphan)
  })

  it('counts a visitor with tabs on both nodes once, and tells the room when a node shuts down', async () => {
    const [one, two] = await twoNodes()
    const tab1 = await harness.visitor(one)
    const agent = await harness.agent(two, tab1.roomId)
    const updates = record(agent.socket, 'connection_status_update')
    const tab2 = await harness.visitor(two, { v: 2, role: 'visitor', visitorId: tab1.session.user.id, token: tab1.session.visitorToken })
    await settle(tab2.socket)
    await settle(agent.socket)
    expect(updates).toEqual([])

    await one.close() // tab1 goes with it; tab2 keeps the visitor present
    await settle(agent.socket)
    expect(updates).toEqual([])
    const status = await fetch(`${two.url}/api/session/${tab1.roomId}/connection-status`)
    expect(((await status.json()) as { data: { totalCustomer: number } }).data.totalCustomer).toBe(1)

    const gone = nextEvent(agent.socket, 'connection_status_update', (u) => !u.presence.visitorConnected)
    tab2.socket.disconnect()
    expect((await gone).presence.totalAgent).toBe(1)
  })

  it('announces the users of a node that closes to the rooms on other nodes', async () => {
    const [one, two] = await twoNodes()
    const visitor = await harness.visitor(one)
    const agent = await harness.agent(two, visitor.roomId)
    const gone = nextEvent(agent.socket, 'connection_status_update', (u) => !u.presence.visitorConnected)
    await one.close()
    expect((await gone).presence).toMatchObject({ totalVisitor: 0, totalAgent: 1 })
  })

  it('sends each socket only its own node’s heartbeats', async () => {
    const [, two] = await twoNodes({ heartbeatMs: 100 })
    const agent = await harness.agent(two)
    const beats = record(agent.socket, 'heartbeat')
    await sleep(550)
    expect(beats.length).toBeGreaterThanOrEqual(4)
    expect(beats.length).toBeLessThanOrEqual(6)
  })

  it('fails to start, clearly, when Redis cannot be reached', async () => {
    await expect(createChatServer({ host: '127.0.0.1', secret: 'shared-secret', redis: 'redis://127.0.0.1:1' })).rejects.toThrow(/Cannot reach Redis/)
  })

  it('refuses to start on Redis without a shared secret', async () => {
    // Each node would make up its own and refuse the visitors the others issued.
    await expect(createChatServer({ host: '127.0.0.1', redis: redis.url })).rejects.toThrow(/`redis` needs `secret`/)
  })
})
