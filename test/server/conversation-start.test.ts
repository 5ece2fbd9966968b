import { describe, expect, it } from 'vitest'
import { DEFAULT_RATE_LIMITS } from '../../src/server'
import { nextEvent, request, useHarness, VISITOR_AUTH } from './helpers'

const harness = useHarness()

describe('conversations start with the first message', () => {
  it('keeps visitors who only open the widget out of the store and the agents’ list', async () => {
    const server = await harness.start()
    const agent = await harness.agent(server)
    // Widgets that connect and join, as on every page view of a returning visitor, write nothing.
    const idle = []
    // In batches, so that a loaded machine answers each within the harness's 2 s.
    for (let batch = 0; batch < 6; batch++) idle.push(...(await Promise.all(Array.from({ length: 50 }, () => harness.connect(server, VISITOR_AUTH)))))
    for (const { socket, session } of idle.slice(0, 20)) {
      const joined = await request(socket, 'join_room', { roomId: session.roomId ?? '' })
      expect(joined).toMatchObject({ ok: true, messages: [], conversation: { lastSeq: 0, createdAt: 0 } })
    }
    const list = await request(agent.socket, 'list_conversations', {})
    expect(list).toMatchObject({ ok: true, conversations: [] })
    expect(await server.store.listConversations({ limit: 1000 })).toEqual([])

    // The first message creates the conversation, and agents hear of it.
    const writer = idle[0]!
    const roomId = writer.session.roomId ?? ''
    const announced = nextEvent(agent.socket, 'conversation_updated', (c) => c.roomId === roomId)
    const toVisitor = nextEvent(writer.socket, 'conversation_updated', (c) => c.roomId === roomId)
    expect(await request(writer.socket, 'send_message', { roomId, clientId: 'first', text: 'Halo' })).toMatchObject({ ok: true, message: { seq: 1 } })
    expect(await announced).toMatchObject({ roomId, lastSeq: 1, lastMessage: { text: 'Halo' }, visitor: { id: writer.session.user.id } })
    // The visitor learns when its conversation started, by which it recognises a lost one later.
    const started = await toVisitor
    expect(started.createdAt).toBeGreaterThan(0)
    expect(started.createdAt).toBe((await server.store.getConversation(roomId))?.createdAt)
    const after = await request(agent.socket, 'list_conversations', {})
    expect(after.ok && after.conversations.map((c) => c.roomId)).toEqual([roomId])
  })

  it('gives a returning visitor the same room before and after its first message', async () => {
    const server = await harness.start()
    const first = await harness.connect(server, VISITOR_AUTH)
    const roomId = first.session.roomId ?? ''
    const credentials = { ...VISITOR_AUTH, visitorId: first.session.user.id, token: first.session.visitorToken }
    expect((await harness.connect(server, credentials)).session.roomId).toBe(roomId)
    await request(first.socket, 'send_message', { roomId, clientId: 'c1', text: 'hi' })
    expect((await harness.connect(server, credentials)).session.roomId).toBe(roomId)
  })

  it('answers a visitor’s requests about its not-yet-started room without creating it', async () => {
    const server = await harness.start()
    const { socket, session } = await harness.connect(server, VISITOR_AUTH)
    const roomId = session.roomId ?? ''
    expect(await request(socket, 'get_history', { roomId })).toEqual({ ok: true, messages: [], hasMore: false })
    expect(await request(socket, 'get_changes', { roomId, afterChangeSeq: 0 })).toEqual({ ok: true, messages: [], hasMore: false })
    expect(await request(socket, 'mark_read', { roomId, upToSeq: 3 })).toEqual({ ok: true })
    expect(await request(socket, 'typing_indicator', { roomId, isTyping: true })).toEqual({ ok: true })
    expect(await request(socket, 'edit_message', { roomId, id: 'x', text: 'y' })).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect(await server.store.getConversation(roomId)).toBeUndefined()
    // Agents cannot open a conversation that does not exist.
    const agent = await harness.agent(server)
    expect(await request(agent.socket, 'join_room', { roomId })).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })

  it('limits new anonymous visitors per client address, with the default limits', async () => {
    const server = await harness.start({ rateLimits: DEFAULT_RATE_LIMITS })
    const burst = DEFAULT_RATE_LIMITS.newVisitor.burst
    const sessions = await Promise.all(Array.from({ length: burst }, () => harness.connect(server, VISITOR_AUTH)))
    expect(sessions).toHaveLength(burst)
    const refused = await harness.refused(server, VISITOR_AUTH)
    expect(refused.data).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/new visitors from this address/) })
    // A returning visitor brings its credentials and is not a new visitor.
    const { session } = sessions[0]!
    const back = await harness.connect(server, { ...VISITOR_AUTH, visitorId: session.user.id, token: session.visitorToken })
    expect(back.session.user.id).toBe(session.user.id)
  })

  it('counts clients behind a trusted proxy by the address the proxy saw', async () => {
    const server = await harness.start({ trustProxy: true, rateLimits: { newVisitor: { perSecond: 0.001, burst: 2 } } })
    const connectVia = (forwardedFor: string) => harness.connectWith(server, VISITOR_AUTH, { 'x-forwarded-for': forwardedFor })
    await connectVia('203.0.113.7')
    await connectVia('198.51.100.1, 203.0.113.7') // what the client claims comes first; the proxy appends
    await expect(connectVia('203.0.113.7')).rejects.toMatchObject({ data: { code: 'rate_limited' } })
    // Another client behind the same proxy has its own allowance.
    await connectVia('203.0.113.8')
  })
})
