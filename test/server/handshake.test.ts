import { describe, expect, it } from 'vitest'
import { MAX_TEXT_LENGTH, PROTOCOL_VERSION, check, schemas } from '../../src/protocol'
import { signVisitorId } from '../../src/server/visitor-token'
import { AGENT_AUTH, VISITOR_AUTH, request, useHarness } from './helpers'

const harness = useHarness()

describe('handshake', () => {
  it('issues a new visitor an id, a token and a room', async () => {
    const server = await harness.start({ secret: 's3cret', heartbeatMs: 5000, maxTextLength: 300 })
    const { session } = await harness.connect(server, { ...VISITOR_AUTH, name: 'Vee' })
    expect(check(schemas.broadcasts.session, session).ok).toBe(true)
    expect(session.user).toMatchObject({ role: 'visitor', name: 'Vee' })
    expect(session.visitorToken).toBe(signVisitorId('s3cret', session.user.id))
    expect(session.roomId).toBeTruthy()
    expect(session).toMatchObject({ heartbeatMs: 5000, maxTextLength: 300 })
    // Only connecting stores nothing: the room is created by the visitor's first message.
    expect(await server.store.getConversation(session.roomId ?? '')).toBeUndefined()
    expect(await server.store.findVisitorConversation(session.user.id)).toBeUndefined()
  })

  it('resumes a visitor that brings back its id and token', async () => {
    const server = await harness.start()
    const first = await harness.connect(server, VISITOR_AUTH)
    first.socket.disconnect()
    const again = await harness.connect(server, {
      ...VISITOR_AUTH,
      visitorId: first.session.user.id,
      token: first.session.visitorToken,
    })
    expect(again.session.user.id).toBe(first.session.user.id)
    expect(again.session.roomId).toBe(first.session.roomId)
    expect(again.session.visitorToken).toBe(first.session.visitorToken)
  })

  it('refuses a visitor id with a forged or missing token', async () => {
    const server = await harness.start()
    const { session } = await harness.connect(server, VISITOR_AUTH)
    const forged = await harness.refused(server, { ...VISITOR_AUTH, visitorId: session.user.id, token: 'forged' })
    expect(forged.data?.code).toBe('unauthorized')
    const missing = await harness.refused(server, { ...VISITOR_AUTH, visitorId: session.user.id })
    expect(missing.data?.code).toBe('unauthorized')
    const otherSecret = await harness.refused(server, {
      ...VISITOR_AUTH,
      visitorId: session.user.id,
      token: signVisitorId('not-the-secret', session.user.id),
    })
    expect(otherSecret.data?.code).toBe('unauthorized')
  })

  it('refuses another protocol version', async () => {
    const server = await harness.start()
    const error = await harness.refused(server, { ...VISITOR_AUTH, v: PROTOCOL_VERSION + 1 })
    expect(error.data?.code).toBe('unsupported_version')
    expect(error.message).toMatch(/version/)
  })

  it('refuses malformed auth as a bad request', async () => {
    const server = await harness.start()
    for (const auth of [{}, { v: 2 }, { v: 2, role: 'admin' }, { v: '1', role: 'visitor' }, { v: 2, role: 'visitor', visitorId: '' }]) {
      const error = await harness.refused(server, auth)
      expect(error.data?.code, JSON.stringify(auth)).toBe('bad_request')
    }
  })

  it('admits agents by token only', async () => {
    const server = await harness.start({ agentToken: 'let-me-in' })
    expect((await harness.refused(server, { ...AGENT_AUTH, token: 'demo-agent' })).data?.code).toBe('unauthorized')
    expect((await harness.refused(server, { v: 2, role: 'agent' })).data?.code).toBe('unauthorized')
    const { session } = await harness.connect(server, { ...AGENT_AUTH, token: 'let-me-in' })
    expect(session.user).toEqual({ id: 'agent', role: 'agent', name: 'Agent' })
    expect(session.roomId).toBeUndefined()
    expect(session.visitorToken).toBeUndefined()
    expect(session.maxTextLength).toBe(MAX_TEXT_LENGTH)
  })

  it('uses a custom authenticateAgent, async or not, and survives it throwing', async () => {
    const server = await harness.start({
      authenticateAgent: async (token) => {
        if (token === 'boom') throw new Error('directory down')
        if (token === 'nameless') return { id: '', role: 'agent' }
        return token === 'alice' ? { id: 'alice', role: 'agent', name: 'Alice' } : undefined
      },
    })
    expect((await harness.connect(server, { ...AGENT_AUTH, token: 'alice' })).session.user.id).toBe('alice')
    expect((await harness.refused(server, { ...AGENT_AUTH, token: 'bob' })).data?.code).toBe('unauthorized')
    expect((await harness.refused(server, { ...AGENT_AUTH, token: 'boom' })).data?.code).toBe('internal')
    expect((await harness.refused(server, { ...AGENT_AUTH, token: 'nameless' })).data?.code).toBe('internal')
    expect((await harness.connect(server, { ...AGENT_AUTH, token: 'alice' })).session.user.id).toBe('alice')
  })

  it('sends a heartbeat on the configured period', async () => {
    const server = await harness.start({ heartbeatMs: 40, now: () => 1234 })
    const { socket } = await harness.connect(server, VISITOR_AUTH)
    const beats: number[] = []
    socket.on('heartbeat', (beat) => beats.push(beat.t))
    await new Promise((r) => setTimeout(r, 150))
    expect(beats.length).toBeGreaterThanOrEqual(2)
    expect(beats.every((t) => t === 1234)).toBe(true)
  })

  it('lets only a visitor’s own room be used', async () => {
    const server = await harness.start()
    const a = await harness.visitor(server)
    const b = await harness.visitor(server)
    const ack = await request(a.socket, 'join_room', { roomId: b.roomId })
    expect(ack).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    const send = await request(a.socket, 'send_message', { roomId: b.roomId, clientId: 'c', text: 'hi' })
    expect(send).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect((await server.store.getConversation(b.roomId))?.lastSeq).toBe(0)
  })
})
