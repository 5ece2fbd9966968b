import { describe, expect, it } from 'vitest'
import { check, schemas } from '../../src/protocol'
import { nextEvent, request, useHarness, VISITOR_AUTH } from './helpers'

const harness = useHarness()

describe('assignment', () => {
  it('lets an agent take a conversation, tells everyone, and lists it under that agent', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    const agent = await harness.agent(server)
    const told = nextEvent(visitor.socket, 'conversation_updated')
    const assigned = await request(agent.socket, 'assign_conversation', { roomId: visitor.roomId, agentId: 'agent' })
    expect(assigned).toMatchObject({ ok: true, conversation: { assignee: { id: 'agent', role: 'agent', name: 'Agent' } } })
    expect(check(schemas.acks.conversation, assigned).ok).toBe(true)
    expect((await told).assignee?.id).toBe('agent')
    const mine = await request(agent.socket, 'list_conversations', { assignee: 'agent' })
    expect(mine.ok && mine.conversations.map((c) => c.roomId)).toEqual([visitor.roomId])
    const unassigned = await request(agent.socket, 'list_conversations', { assignee: null })
    expect(unassigned.ok && unassigned.conversations).toEqual([])
    expect(await request(agent.socket, 'assign_conversation', { roomId: visitor.roomId, agentId: null })).toMatchObject({ ok: true, conversation: { roomId: visitor.roomId } })
    expect((await server.store.getConversation(visitor.roomId))?.assignee).toBeUndefined()
  })

  it('refuses visitors, unknown rooms, and other agents when the server has no accounts to know them by', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    const agent = await harness.agent(server)
    expect(await request(visitor.socket, 'assign_conversation', { roomId: visitor.roomId, agentId: null })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await request(agent.socket, 'assign_conversation', { roomId: 'ghost', agentId: 'agent' })).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect(await request(agent.socket, 'assign_conversation', { roomId: visitor.roomId, agentId: 'someone-else' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'Without agent accounts an agent can assign only itself' },
    })
  })
})

describe('the agents’ list', () => {
  it('pages with a cursor and filters by status', async () => {
    let t = 1000
    const server = await harness.start({ now: () => t })
    const agent = await harness.agent(server)
    for (let i = 0; i < 7; i++) {
      const visitor = await harness.connect(server, VISITOR_AUTH)
      t += 10
      await request(visitor.socket, 'send_message', { roomId: visitor.session.roomId!, clientId: `c${i}`, text: `hello ${i}` })
      if (i % 2 === 1) await request(agent.socket, 'set_conversation_status', { roomId: visitor.session.roomId!, status: 'closed' })
    }
    const seen: string[] = []
    let cursor: string | undefined
    do {
      const page = await request(agent.socket, 'list_conversations', { limit: 3, ...(cursor && { cursor }) })
      if (!page.ok) throw new Error('list refused')
      expect(check(schemas.acks.conversations, page).ok).toBe(true)
      seen.push(...page.conversations.map((c) => c.lastMessage?.text ?? ''))
      cursor = page.cursor
    } while (cursor)
    expect(seen).toHaveLength(7)
    expect(new Set(seen).size).toBe(7)
    const closed = await request(agent.socket, 'list_conversations', { status: 'closed' })
    expect(closed.ok && closed.conversations.map((c) => c.status)).toEqual(['closed', 'closed', 'closed'])
    expect(await request(agent.socket, 'list_conversations', { cursor: 'made-up' })).toMatchObject({ ok: false, error: { code: 'bad_request' } })
  })
})

describe('the visitor’s context', () => {
  const context = {
    page: { url: 'https://toko.example/kopi', title: 'Kopi', at: 1_700_000_000_000 },
    pages: [{ url: 'https://toko.example/', title: 'Toko', at: 1_699_999_990_000 }],
    referrer: 'https://search.example/?q=kopi',
    locale: 'id-ID',
    timeZone: 'Asia/Jakarta',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0',
    firstSeenAt: 1_699_000_000_000,
    visits: 4,
  }

  it('is kept from the handshake until the first message, then shown to agents', async () => {
    const server = await harness.start()
    const agent = await harness.agent(server)
    const visitor = await harness.connect(server, { ...VISITOR_AUTH, context })
    const roomId = visitor.session.roomId!
    expect(await server.store.getConversation(roomId)).toBeUndefined()
    const listed = nextEvent(agent.socket, 'conversation_updated', (c) => c.roomId === roomId)
    await request(visitor.socket, 'send_message', { roomId, clientId: 'c1', text: 'Halo' })
    expect((await listed).context).toEqual(context)
    // A later page view (a new connection, or an update) replaces it, and agents are told.
    const moved = nextEvent(agent.socket, 'conversation_updated', (c) => c.context?.page?.url === 'https://toko.example/keranjang')
    const next = { ...context, page: { url: 'https://toko.example/keranjang', at: 1_700_000_060_000 } }
    expect(await request(visitor.socket, 'update_context', { roomId, context: next })).toEqual({ ok: true })
    expect((await moved).context?.page).toEqual(next.page)
  })

  it('refuses oversize or malformed context, and agents reporting one', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    const agent = await harness.agent(server)
    const roomId = visitor.roomId
    const tooMany = { pages: Array.from({ length: 6 }, (_, i) => ({ url: `https://toko.example/${i}`, at: i })) }
    for (const bad of [tooMany, { page: { url: 'x'.repeat(1025), at: 1 } }, { visits: 0 }, { locale: 7 }]) {
      expect(await request(visitor.socket, 'update_context', { roomId, context: bad as never })).toMatchObject({ ok: false, error: { code: 'bad_request' } })
    }
    expect(await request(agent.socket, 'update_context', { roomId, context: {} })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    const refused = await harness.refused(server, { ...VISITOR_AUTH, context: tooMany })
    expect(refused.data?.code).toBe('bad_request')
  })
})
