import { describe, expect, it } from 'vitest'
import { createMemoryAccountStore } from '../../src/server/accounts/memory-account-store'
import type { ChatServer } from '../../src/server'
import { captureLogs } from '../support/log-capture'
import { nextEvent, request, useHarness, VISITOR_AUTH } from './helpers'

const harness = useHarness()
const PASSWORD = 'correct horse battery'

interface Reply {
  status: number
  body: { success: boolean; message: string; data?: Record<string, unknown>; error?: string }
  headers: Headers
}

/** A browser tab on the server's own page: keeps the session cookie like a browser would. */
function browser(server: ChatServer, origin = server.url) {
  let cookie = ''
  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { origin, ...(cookie && { cookie }), ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    })
    const set = res.headers.get('set-cookie')
    if (set) cookie = set.split(';')[0]!.endsWith('=') ? '' : set.split(';')[0]!
    return { status: res.status, body: (await res.json()) as Reply['body'], headers: res.headers }
  }
  return {
    call,
    get cookie() {
      return cookie
    },
    async socketToken(): Promise<string> {
      const reply = await call('GET', '/api/auth/socket-token')
      return reply.body.data?.token as string
    },
  }
}

const setupToken = (server: ChatServer) => new URL(server.setupUrl ?? 'http://x/#token=').hash.slice('#token='.length)

async function ownerOf(server: ChatServer) {
  const owner = browser(server)
  const reply = await owner.call('POST', '/api/auth/setup', { token: setupToken(server), name: 'Dewi', email: 'dewi@toko.example', password: PASSWORD })
  expect(reply.status).toBe(200)
  return owner
}

describe('agent accounts', () => {
  it('creates the owner through the one-time setup link and signs them in', async () => {
    const logger = captureLogs()
    const server = await harness.start({ accounts: true, agentToken: undefined, logger })
    expect(server.setupUrl).toMatch(/\/inbox\/setup#token=[\w-]{40,}$/)
    expect(logger.messages('warn')).toContainEqual(expect.stringContaining(server.setupUrl!))
    const tab = browser(server)
    expect((await tab.call('GET', '/api/auth/state')).body.data).toEqual({ signedIn: false, setupNeeded: true })

    const wrongToken = await tab.call('POST', '/api/auth/setup', { token: 'guess', name: 'Eve', email: 'eve@evil.example', password: PASSWORD })
    expect(wrongToken.status).toBe(410)
    const shortPassword = await tab.call('POST', '/api/auth/setup', { token: setupToken(server), name: 'Dewi', email: 'dewi@toko.example', password: 'short' })
    expect(shortPassword).toMatchObject({ status: 400, body: { message: 'password must be at least 10 characters' } })
    const badEmail = await tab.call('POST', '/api/auth/setup', { token: setupToken(server), name: 'Dewi', email: 'dewi', password: PASSWORD })
    expect(badEmail.body.message).toMatch(/^email must be/)

    const created = await tab.call('POST', '/api/auth/setup', { token: setupToken(server), name: ' Dewi ', email: 'Dewi@Toko.example', password: PASSWORD })
    expect(created.status).toBe(200)
    expect(created.body.data?.agent).toMatchObject({ name: 'Dewi', email: 'dewi@toko.example', role: 'owner' })
    const cookie = created.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^obrolan_session=[\w-]{40,}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/)
    expect((await tab.call('GET', '/api/auth/state')).body.data).toMatchObject({ signedIn: true, setupNeeded: false, agent: { role: 'owner' } })

    // The link works once.
    const again = await browser(server).call('POST', '/api/auth/setup', { token: setupToken(server), name: 'Eve', email: 'eve@evil.example', password: PASSWORD })
    expect(again.status).toBe(410)
  })

  it('keeps passwords as scrypt hashes and says the same for a wrong email and a wrong password', async () => {
    const store = createMemoryAccountStore()
    const server = await harness.start({ accounts: store })
    await ownerOf(server)
    const stored = await store.findAgentByEmail('dewi@toko.example')
    expect(stored?.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/)
    expect(stored?.passwordHash).not.toContain(PASSWORD)
    const tab = browser(server)
    const wrongPassword = await tab.call('POST', '/api/auth/sign-in', { email: 'dewi@toko.example', password: 'not the password' })
    const wrongEmail = await tab.call('POST', '/api/auth/sign-in', { email: 'nobody@toko.example', password: PASSWORD })
    expect(wrongPassword).toMatchObject({ status: 401, body: { message: 'Wrong email or password' } })
    expect(wrongEmail).toMatchObject({ status: 401, body: { message: 'Wrong email or password' } })
    const right = await tab.call('POST', '/api/auth/sign-in', { email: 'DEWI@toko.example ', password: PASSWORD })
    expect(right.status).toBe(200)
  })

  it('limits sign-in attempts per account, with Retry-After', async () => {
    const server = await harness.start({ accounts: true })
    await ownerOf(server)
    const attempts = []
    for (let i = 0; i < 7; i++) attempts.push(await browser(server).call('POST', '/api/auth/sign-in', { email: 'dewi@toko.example', password: `guess number ${i}` }))
    expect(attempts.slice(0, 5).map((a) => a.status)).toEqual([401, 401, 401, 401, 401])
    expect(attempts[5]).toMatchObject({ status: 429, body: { error: 'rate_limited' } })
    expect(Number(attempts[5]!.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('lets a signed-in agent’s socket in with a short-lived token, as itself, and ends it on sign-out', async () => {
    const server = await harness.start({ accounts: true, agentToken: undefined })
    const owner = await ownerOf(server)
    const agent = await harness.connect(server, { v: 2, role: 'agent', token: await owner.socketToken() })
    const me = (await owner.call('GET', '/api/auth/state')).body.data?.agent as { id: string }
    expect(agent.session.user).toEqual({ id: me.id, role: 'agent', name: 'Dewi' })

    // Its messages say which agent wrote them.
    const visitor = await harness.visitor(server)
    await request(agent.socket, 'join_room', { roomId: visitor.roomId })
    const heard = nextEvent(visitor.socket, 'new_message')
    await request(agent.socket, 'send_message', { roomId: visitor.roomId, clientId: 'a1', text: 'Halo, saya Dewi' })
    expect((await heard).author).toEqual({ id: me.id, role: 'agent', name: 'Dewi' })

    const token = await owner.socketToken()
    const gone = new Promise((resolve) => agent.socket.once('disconnect', resolve))
    expect((await owner.call('POST', '/api/auth/sign-out', {})).status).toBe(200)
    await gone
    expect((await harness.refused(server, { v: 2, role: 'agent', token })).data?.code).toBe('unauthorized')
    expect((await owner.call('GET', '/api/auth/socket-token')).status).toBe(401)
  })

  it('refuses agents while no account exists, and forged or expired tokens', async () => {
    const server = await harness.start({ accounts: true, agentToken: undefined })
    expect((await harness.refused(server, { v: 2, role: 'agent', token: 'ob1.e30.forged' })).data?.code).toBe('unauthorized')
    expect((await harness.refused(server, { v: 2, role: 'agent' })).data?.code).toBe('unauthorized')
  })

  it('lets owners invite agents and remove them, disconnecting them at once', async () => {
    const server = await harness.start({ accounts: true })
    const owner = await ownerOf(server)
    const invited = await owner.call('POST', '/api/agents/invites', { email: 'ayu@toko.example', name: 'Ayu' })
    expect(invited.status).toBe(200)
    const inviteUrl = invited.body.data?.inviteUrl as string
    expect(inviteUrl).toMatch(new RegExp(`^${server.url}/inbox/invite#token=`))

    const ayu = browser(server)
    const token = new URL(inviteUrl).hash.slice('#token='.length)
    const accepted = await ayu.call('POST', '/api/auth/accept-invite', { token, name: 'Ayu', password: 'another good password' })
    expect(accepted.body.data?.agent).toMatchObject({ email: 'ayu@toko.example', role: 'agent' })
    expect((await browser(server).call('POST', '/api/auth/accept-invite', { token, name: 'Mallory', password: PASSWORD })).status).toBe(410)

    // Agents do not invite or remove.
    expect((await ayu.call('POST', '/api/agents/invites', { email: 'x@toko.example' })).status).toBe(403)
    const list = (await ayu.call('GET', '/api/agents')).body.data?.agents as { id: string; email: string }[]
    expect(list.map((a) => a.email)).toEqual(['dewi@toko.example', 'ayu@toko.example'])
    const ayuId = list[1]!.id
    expect((await ayu.call('DELETE', `/api/agents/${list[0]!.id}`)).status).toBe(403)

    const socket = await harness.connect(server, { v: 2, role: 'agent', token: await ayu.socketToken() })
    const cut = new Promise((resolve) => socket.socket.once('disconnect', resolve))
    expect((await owner.call('DELETE', `/api/agents/${ayuId}`)).status).toBe(200)
    await cut
    expect((await ayu.call('GET', '/api/auth/state')).body.data).toMatchObject({ signedIn: false })
    // Nobody removes themselves (list[0] is the owner).
    expect((await owner.call('DELETE', `/api/agents/${list[0]!.id}`)).status).toBe(403)
  })

  it('answers only the server’s own pages, never with CORS, and takes only JSON', async () => {
    const server = await harness.start({ accounts: true, allowedOrigins: ['https://shop.example'] })
    await ownerOf(server)
    const site = browser(server, 'https://shop.example')
    const fromSite = await site.call('POST', '/api/auth/sign-in', { email: 'dewi@toko.example', password: PASSWORD })
    expect(fromSite.status).toBe(403)
    expect(fromSite.headers.get('access-control-allow-origin')).toBeNull()
    expect((await site.call('GET', '/api/auth/socket-token')).status).toBe(403)
    const form = await browser(server).call('POST', '/api/auth/sign-in', 'email=dewi%40toko.example', { 'content-type': 'application/x-www-form-urlencoded' })
    expect(form.status).toBe(415)
    const huge = await browser(server).call('POST', '/api/auth/sign-in', { email: 'x'.repeat(20_000) })
    expect(huge.status).toBe(413)
    // Visitors are unaffected: their widget still connects from the site.
    expect((await harness.connect(server, VISITOR_AUTH)).session.user.role).toBe('visitor')
  })
})
