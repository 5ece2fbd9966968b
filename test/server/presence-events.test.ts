import { describe, expect, it } from 'vitest'
import { check, schemas } from '../../src/protocol'
import { nextEvent, record, request, settle, useHarness } from './helpers'

const harness = useHarness()

describe('presence', () => {
  it('broadcasts connection_status_update on join, leave and disconnect', async () => {
    let t = 1000
    const server = await harness.start({ now: () => t })
    const visitor = await harness.visitor(server)
    const roomId = visitor.roomId

    t = 2000
    const onJoin = nextEvent(visitor.socket, 'connection_status_update', (u) => u.presence.agentConnected)
    const agent = await harness.agent(server, roomId)
    const joined = await onJoin
    expect(check(schemas.broadcasts.connection_status_update, joined).ok).toBe(true)
    expect(joined).toEqual({
      roomId,
      timestamp: 2000,
      presence: {
        users: {
          [visitor.session.user.id]: { userId: visitor.session.user.id, role: 'visitor', joinedAt: 1000 },
          agent: { userId: 'agent', role: 'agent', name: 'Agent', joinedAt: 2000 },
        },
        visitorConnected: true,
        agentConnected: true,
        totalVisitor: 1,
        totalAgent: 1,
      },
    })

    const onLeave = nextEvent(visitor.socket, 'connection_status_update', (u) => !u.presence.agentConnected)
    expect(await request(agent.socket, 'leave_room', { roomId })).toEqual({ ok: true })
    expect((await onLeave).presence).toMatchObject({ totalAgent: 0, totalVisitor: 1 })

    await request(agent.socket, 'join_room', { roomId })
    const onDisconnect = nextEvent(agent.socket, 'connection_status_update', (u) => !u.presence.visitorConnected)
    visitor.socket.disconnect()
    expect((await onDisconnect).presence).toMatchObject({ users: { agent: { role: 'agent' } }, totalVisitor: 0 })
  })

  it('keeps agents informed through conversation_updated and the join ack', async () => {
    const server = await harness.start()
    const watcher = await harness.agent(server)
    const visitor = await harness.connect(server, { v: 2, role: 'visitor' })
    const roomId = visitor.session.roomId ?? ''
    // As after its first message: conversations that never started are nothing to agents.
    await server.store.openVisitorConversation(visitor.session.user, roomId, 1)
    const update = nextEvent(watcher.socket, 'conversation_updated', (c) => c.roomId === roomId && c.presence.visitorConnected)
    const ack = await request(visitor.socket, 'join_room', { roomId })
    expect(ack).toMatchObject({ ok: true, conversation: { presence: { visitorConnected: true, totalVisitor: 1 } } })
    expect((await update).presence.totalVisitor).toBe(1)
  })

  it('counts a second tab of the same visitor once and announces nothing for it', async () => {
    const server = await harness.start()
    const first = await harness.visitor(server)
    const agent = await harness.agent(server, first.roomId)
    const updates = record(agent.socket, 'connection_status_update')
    const second = await harness.visitor(server, {
      v: 2,
      role: 'visitor',
      visitorId: first.session.user.id,
      token: first.session.visitorToken,
    })
    second.socket.disconnect()
    await settle(first.socket)
    await settle(agent.socket)
    expect(updates).toEqual([])
    const res = await fetch(`${server.url}/api/session/${first.roomId}/connection-status`)
    expect(((await res.json()) as { data: { totalCustomer: number } }).data.totalCustomer).toBe(1)
  })
})
