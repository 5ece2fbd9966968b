/**
 * The REST API at /api/v1 against the real server: keys made by an owner in the inbox's settings,
 * every refusal with its status code and the envelope, and messages posted over REST reaching
 * sockets live exactly as socket messages do.
 */
import { describe, expect, it } from 'vitest'
import { check, schemas } from '../../src/protocol'
import type { Conversation, WireMessage } from '../../src/protocol'
import { nextEvent, record, request, settle, useHarness } from './helpers'
import { api, apiKey, browser, invitedAgent, ownerOf } from './owner-browser'

const harness = useHarness()

async function world(options: Parameters<typeof harness.start>[0] = {}) {
  const server = await harness.start({ accounts: true, ...options })
  const owner = await ownerOf(server)
  const token = await apiKey(owner)
  const visitor = await harness.visitor(server)
  await request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: 'v1', text: 'Halo, pesanan saya?' })
  const agent = await harness.agent(server, visitor.roomId)
  return { server, owner, token, call: api(server, token), visitor, agent, roomId: visitor.roomId }
}

describe('API keys', () => {
  it('are made and revoked by owners in the inbox, shown once, listed without the key', async () => {
    const server = await harness.start({ accounts: true })
    const owner = await ownerOf(server)
    const made = await owner.call<{ token: string; key: Record<string, unknown> }>('POST', '/api/integrations/keys', { name: 'Status page', scopes: ['read'] })
    expect(made.status).toBe(200)
    const { token, key } = made.body.data!
    expect(token).toMatch(/^obk_[\w-]{43}$/)
    expect(key).toMatchObject({ name: 'Status page', scopes: ['read'], prefix: token.slice(0, 12) })
    const listed = await owner.call<{ keys: Record<string, unknown>[] }>('GET', '/api/integrations/keys')
    expect(listed.body.data!.keys).toEqual([key])
    expect(JSON.stringify(listed.body)).not.toContain(token)

    expect((await api(server, token)('GET', '/conversations')).status).toBe(200)
    expect((await owner.call('DELETE', `/api/integrations/keys/${key.id as string}`)).status).toBe(200)
    const revoked = await api(server, token)('GET', '/conversations')
    expect(revoked.status).toBe(401)
    expect(revoked.body).toEqual({ success: false, message: 'This API key is unknown or revoked', error: 'unauthorized' })
    expect((await owner.call('DELETE', `/api/integrations/keys/${key.id as string}`)).status).toBe(409)
    expect((await owner.call<{ keys: { revokedAt?: number }[] }>('GET', '/api/integrations/keys')).body.data!.keys[0]!.revokedAt).toEqual(expect.any(Number))
  })

  it('are refused to agents who are not owners, to other origins and to bad input', async () => {
    const server = await harness.start({ accounts: true })
    const owner = await ownerOf(server)
    const agent = await invitedAgent(server, owner)
    expect((await agent.call('POST', '/api/integrations/keys', { name: 'x', scopes: ['read'] })).status).toBe(403)
    expect((await agent.call('GET', '/api/integrations/keys')).status).toBe(403)
    expect((await browser(server).call('GET', '/api/integrations/keys')).status).toBe(401)
    const foreign = browser({ url: server.url }, 'https://evil.example')
    expect((await foreign.call('GET', '/api/integrations/keys')).status).toBe(403)
    const noScope = await owner.call('POST', '/api/integrations/keys', { name: 'x', scopes: ['admin'] })
    expect(noScope).toMatchObject({ status: 400, body: { success: false, message: 'scopes must be read, write, or both' } })
    expect((await owner.call('POST', '/api/integrations/keys', { name: '  ', scopes: ['read'] })).status).toBe(400)
  })

  it('hold each request to the key: none, a wrong one, a scope it lacks, and its rate', async () => {
    const server = await harness.start({ accounts: true, rateLimits: { apiKey: { perSecond: 1, burst: 2 } } })
    const owner = await ownerOf(server)
    const reader = api(server, await apiKey(owner, ['read']))
    const none = await api(server, undefined)('GET', '/conversations')
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toBe('Bearer')
    expect(none.body.message).toMatch(/Authorization: Bearer/)
    expect((await api(server, 'obk_guessed')('GET', '/conversations')).status).toBe(401)
    const write = await reader('PUT', '/conversations/r1/status', { status: 'closed' })
    expect(write).toMatchObject({ status: 403, body: { success: false, error: 'forbidden', message: 'This key may not write: its scopes are read' } })
    expect((await reader('GET', '/conversations')).status).toBe(200)
    expect((await reader('GET', '/conversations')).status).toBe(200)
    const limited = await reader('GET', '/conversations')
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(limited.body).toMatchObject({ success: false, error: 'rate_limited' })
    // No CORS: a key belongs on a server.
    expect(none.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('conversations over REST', () => {
  it('lists with filters, updatedSince and cursor paging, and gets one', async () => {
    let t = 1_000
    const { server, call, roomId } = await world({ now: () => t++ })
    const others: string[] = []
    for (let i = 0; i < 3; i++) {
      const v = await harness.visitor(server)
      await request(v.socket, 'send_message', { roomId: v.roomId, clientId: 'c', text: `visitor ${i}` })
      others.push(v.roomId)
    }
    const all = await call<{ conversations: Conversation[]; cursor?: string }>('GET', '/conversations?limit=2')
    expect(all.status).toBe(200)
    expect(all.body.success).toBe(true)
    expect(all.body.data!.conversations.map((c) => c.roomId)).toEqual([others[2], others[1]])
    const next = await call<{ conversations: Conversation[]; cursor?: string }>('GET', `/conversations?limit=2&cursor=${all.body.data!.cursor}`)
    expect(next.body.data!.conversations.map((c) => c.roomId)).toEqual([others[0], roomId])
    expect(next.body.data!.cursor).toBeUndefined()
    for (const conversation of [...all.body.data!.conversations, ...next.body.data!.conversations]) expect(check(schemas.conversation, conversation).ok).toBe(true)

    const since = all.body.data!.conversations[1]!.updatedAt
    const recent = await call<{ conversations: Conversation[]; cursor?: string }>('GET', `/conversations?updatedSince=${since}&limit=1`)
    expect(recent.body.data!.conversations.map((c) => c.roomId)).toEqual([others[2]])
    const rest = await call<{ conversations: Conversation[]; cursor?: string }>('GET', `/conversations?updatedSince=${since}&limit=1&cursor=${recent.body.data!.cursor}`)
    expect(rest.body.data!.conversations.map((c) => c.roomId)).toEqual([others[1]])
    expect(rest.body.data!.cursor).toBeUndefined()

    expect((await call<{ conversations: Conversation[] }>('GET', '/conversations?assignee=none&status=open')).body.data!.conversations).toHaveLength(4)
    expect((await call('GET', '/conversations?status=closed')).body.data).toEqual({ conversations: [] })
    const bad = await call('GET', '/conversations?status=archived')
    expect(bad).toMatchObject({ status: 422, body: { success: false, error: 'bad_request', message: expect.stringMatching(/^status: /) } })
    expect((await call('GET', '/conversations?limit=0')).status).toBe(422)
    expect((await call('GET', '/conversations?colour=red')).body.message).toMatch(/Unknown query parameter colour/)
    expect((await call('GET', '/conversations?cursor=nonsense')).status).toBe(422)

    const one = await call<{ conversation: Conversation }>('GET', `/conversations/${roomId}`)
    expect(one.body.data!.conversation).toMatchObject({ roomId, lastSeq: 1, presence: { visitorConnected: true, agentConnected: true } })
    expect((await call('GET', '/conversations/nobody')).status).toBe(404)
    expect((await call('GET', `/conversations/${'x'.repeat(129)}`)).status).toBe(422)
    expect((await call('GET', '/nowhere')).status).toBe(404)
    expect((await call('POST', '/conversations')).status).toBe(405)
  })

  it('changes status and assignee, telling the visitor and agents at once', async () => {
    const { server, owner, call, visitor, agent, roomId } = await world()
    const atVisitor = nextEvent(visitor.socket, 'conversation_updated', (c) => c.status === 'pending')
    const closed = await call<{ conversation: Conversation }>('PUT', `/conversations/${roomId}/status`, { status: 'pending' })
    expect(closed).toMatchObject({ status: 200, body: { success: true, data: { conversation: { status: 'pending' } } } })
    await atVisitor
    const agents = (await call<{ agents: { id: string; role: string }[] }>('GET', '/agents')).body.data!.agents
    const dewi = agents.find((a) => a.role === 'owner')!
    const atAgent = nextEvent(agent.socket, 'conversation_updated', (c) => c.assignee?.id === dewi.id)
    expect((await call('PUT', `/conversations/${roomId}/assignee`, { agentId: dewi.id })).status).toBe(200)
    expect((await atAgent).assignee).toEqual({ id: dewi.id, role: 'agent', name: 'Dewi' })
    expect((await call('PUT', `/conversations/${roomId}/assignee`, { agentId: 'no-such-agent' })).status).toBe(404)
    expect((await call('PUT', `/conversations/${roomId}/assignee`, { agentId: null })).body.data).toMatchObject({ conversation: { roomId } })
    expect((await call('PUT', `/conversations/${roomId}/status`, { status: 'gone' })).status).toBe(422)
    expect((await call('PUT', '/conversations/nobody/status', { status: 'open' })).status).toBe(404)
    expect(owner).toBeDefined()
    expect(server).toBeDefined()
  })

  it('lists every conversation someone is connected to, in the status route’s shape', async () => {
    const { server, call, roomId } = await world()
    const quiet = await harness.visitor(server) // connected, conversation opened by the harness, no message
    const widgetOnly = await harness.connect(server, { v: 2, role: 'visitor' })
    await request(widgetOnly.socket, 'join_room', { roomId: widgetOnly.session.roomId! })
    const sessions = await call<{ sessions: Record<string, unknown>[] }>('GET', '/sessions/active')
    expect(sessions.body.message).toBe('Active sessions retrieved successfully')
    const byId = Object.fromEntries(sessions.body.data!.sessions.map((s) => [s.sessionId, s]))
    expect(Object.keys(byId).sort()).toEqual([roomId, quiet.roomId].sort())
    const status = await fetch(`${server.url}/api/session/${roomId}/connection-status`).then((r) => r.json() as Promise<{ data: object }>)
    expect(byId[roomId]).toEqual({ sessionId: roomId, ...status.data })
    expect(byId[roomId]).toMatchObject({ customerConnected: true, agentConnected: true, totalCustomer: 1, totalAgent: 1 })
  })
})

describe('messages over REST', () => {
  it('posts as a bot or an agent, once per Idempotency-Key, live to the widget and the inbox', async () => {
    const { server, call, visitor, agent, roomId } = await world()
    const atVisitor = nextEvent(visitor.socket, 'new_message')
    const atAgent = nextEvent(agent.socket, 'new_message')
    const listed = nextEvent(agent.socket, 'conversation_updated', (c) => c.lastSeq === 2)
    const posted = await call<{ message: WireMessage }>('POST', `/conversations/${roomId}/messages`, { text: 'Pesanan #7 sudah dikirim', bot: 'Order bot' }, { 'Idempotency-Key': 'order-7-shipped' })
    expect(posted.status).toBe(201)
    const message = posted.body.data!.message
    expect(message).toMatchObject({ seq: 2, text: 'Pesanan #7 sudah dikirim', author: { id: 'bot:order bot', role: 'agent', name: 'Order bot' }, clientId: expect.stringMatching(/^api:[\w-]+:order-7-shipped$/) })
    expect(check(schemas.message, message).ok).toBe(true)
    expect(await atVisitor).toEqual(message)
    expect(await atAgent).toEqual(message)
    expect((await listed).lastMessage?.text).toBe('Pesanan #7 sudah dikirim')

    const again = record(visitor.socket, 'new_message')
    const replay = await call<{ message: WireMessage }>('POST', `/conversations/${roomId}/messages`, { text: 'Pesanan #7 sudah dikirim', bot: 'Order bot' }, { 'Idempotency-Key': 'order-7-shipped' })
    expect(replay.status).toBe(200)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect(replay.body.data!.message).toEqual(message)
    const other = await call('POST', `/conversations/${roomId}/messages`, { text: 'Something else', bot: 'Order bot' }, { 'Idempotency-Key': 'order-7-shipped' })
    expect(other).toMatchObject({ status: 409, body: { success: false, error: 'conflict' } })
    await settle(visitor.socket)
    expect(again.map((m) => m.id)).toEqual([message.id]) // a replay goes out again (clients drop it by id), never as a second message; a conflict not at all
    expect((await server.store.getConversation(roomId))?.lastSeq).toBe(2)

    const owner = (await call<{ agents: { id: string; name: string }[] }>('GET', '/agents')).body.data!.agents[0]!
    const asAgent = await call<{ message: WireMessage }>('POST', `/conversations/${roomId}/messages`, { text: 'Ada lagi?', agentId: owner.id })
    expect(asAgent.body.data!.message).toMatchObject({ seq: 3, author: { id: owner.id, role: 'agent', name: 'Dewi' } })
  })

  it('refuses what a socket would refuse, with the status codes of HTTP', async () => {
    const { call, roomId } = await world({ maxTextLength: 50 })
    const path = `/conversations/${roomId}/messages`
    const cases: [unknown, number, RegExp][] = [
      [{ text: '   ', bot: 'b' }, 422, /empty/],
      [{ text: 'x'.repeat(51), bot: 'b' }, 422, /limit is 50/],
      [{ text: 'hi' }, 422, /agentId .* or bot/],
      [{ text: 'hi', bot: 'b', agentId: 'a' }, 422, /one of the two/],
      [{ text: 'hi', agentId: 'nobody' }, 422, /No agent nobody/],
      [{ text: 42, bot: 'b' }, 422, /^text: /],
      ['{not json', 400, /not valid JSON/],
      [{ text: 'x'.repeat(20_000), bot: 'b' }, 413, /larger than/],
    ]
    for (const [body, status, message] of cases) {
      const reply = await call('POST', path, body)
      expect(reply.status, JSON.stringify(body).slice(0, 40)).toBe(status)
      expect(reply.body.success).toBe(false)
      expect(reply.body.message).toMatch(message)
    }
    expect((await call('POST', path, { text: 'hi', bot: 'b' }, { 'Idempotency-Key': 'has space' })).status).toBe(422)
    expect((await call('POST', '/conversations/nobody/messages', { text: 'hi', bot: 'b' })).status).toBe(404)
  })

  it('refuses a body that is not JSON with 415', async () => {
    const { server, token, roomId } = await world()
    const res = await fetch(`${server.url}/api/v1/conversations/${roomId}/messages`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, body: 'hi' })
    expect(res.status).toBe(415)
    expect(await res.json()).toMatchObject({ success: false, error: 'unsupported_media_type' })
  })

  it('pages messages by seq, edits and deletes agents’ messages, and leaves visitors’ alone', async () => {
    const { call, visitor, roomId } = await world()
    const ids: string[] = []
    for (let i = 0; i < 4; i++) {
      const reply = await call<{ message: WireMessage }>('POST', `/conversations/${roomId}/messages`, { text: `reply ${i}`, bot: 'Bot' })
      ids.push(reply.body.data!.message.id)
    }
    const first = await call<{ messages: WireMessage[]; hasMore: boolean }>('GET', `/conversations/${roomId}/messages?afterSeq=0&limit=2`)
    expect(first.body.data!.messages.map((m) => m.seq)).toEqual([1, 2])
    expect(first.body.data!.hasMore).toBe(true)
    const rest = await call<{ messages: WireMessage[]; hasMore: boolean }>('GET', `/conversations/${roomId}/messages?afterSeq=2&limit=10`)
    expect(rest.body.data).toMatchObject({ messages: [{ seq: 3 }, { seq: 4 }, { seq: 5 }], hasMore: false })
    expect((await call<{ messages: WireMessage[] }>('GET', `/conversations/${roomId}/messages`)).body.data!.messages).toHaveLength(5)
    expect((await call('GET', '/conversations/nobody/messages')).status).toBe(404)

    const edited = nextEvent(visitor.socket, 'message_edited')
    const edit = await call<{ message: WireMessage }>('PATCH', `/conversations/${roomId}/messages/${ids[0]}`, { text: 'reply 0, corrected' })
    expect(edit.body.data!.message).toMatchObject({ text: 'reply 0, corrected', editedAt: expect.any(Number), changeSeq: 1 })
    expect(await edited).toEqual(edit.body.data!.message)
    const deleted = nextEvent(visitor.socket, 'message_deleted')
    expect((await call('DELETE', `/conversations/${roomId}/messages/${ids[1]}`)).status).toBe(200)
    expect(await deleted).toMatchObject({ id: ids[1], deleted: true, text: '' })
    expect((await call('DELETE', `/conversations/${roomId}/messages/${ids[1]}`)).status).toBe(200)

    const visitorMessage = first.body.data!.messages[0]!
    const refused = await call('PATCH', `/conversations/${roomId}/messages/${visitorMessage.id}`, { text: 'rewritten' })
    expect(refused).toMatchObject({ status: 403, body: { error: 'forbidden' } })
    expect((await call('PATCH', `/conversations/${roomId}/messages/nope`, { text: 'x' })).status).toBe(404)
    expect((await call('PATCH', `/conversations/${roomId}/messages/${ids[1]}`, { text: 'x' })).status).toBe(403)
  })
})
