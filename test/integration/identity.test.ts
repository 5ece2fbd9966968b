import { describe, expect, it } from 'vitest'
import { memoryStorage, type Author } from '../../src'
import { signUserId } from '../../src/server'
import { connected, eventually, startAgent, startClient, startServer, startedRoom, texts } from '../support/harness'

const IDENTITY_SECRET = 'site-backend-secret'

describe('identified visitors', () => {
  it('joins the user’s own conversation on any device when the backend signed the id', async () => {
    const server = await startServer({ identitySecret: IDENTITY_SECRET })
    const identity = { userId: 'cust-42', userHash: signUserId(IDENTITY_SECRET, 'cust-42'), name: 'Sari', email: 'sari@example.com' }
    const laptop = startClient({ url: server.url, identity })
    await connected(laptop)
    expect(laptop.user.get()).toMatchObject({ id: 'user:cust-42', name: 'Sari', email: 'sari@example.com' })
    laptop.send('from the laptop')
    await eventually(() => expect(laptop.messages.get()[0]?.status).toBe('sent'))

    const phone = startClient({ url: server.url, identity, storage: memoryStorage() })
    await connected(phone)
    expect(phone.conversation.get()!.roomId).toBe(laptop.conversation.get()!.roomId)
    expect(texts(phone)).toEqual(['from the laptop'])
  })

  it('refuses a forged or unsigned identity with a clear error and stays anonymous', async () => {
    const server = await startServer({ identitySecret: IDENTITY_SECRET })
    const victim = startClient({ url: server.url, identity: { userId: 'victim', userHash: signUserId(IDENTITY_SECRET, 'victim') } })
    await connected(victim)
    victim.send('private')

    for (const userHash of [signUserId('wrong-secret', 'victim'), '0'.repeat(64)]) {
      const attacker = startClient({ url: server.url, identity: { userId: 'victim', userHash } })
      const errors: string[] = []
      attacker.on('error', (e) => errors.push(`${e.code}: ${e.message}`))
      await connected(attacker)
      expect(errors).toEqual([expect.stringMatching(/^unauthorized: userHash does not match/)])
      expect(attacker.user.get()!.id).not.toBe('user:victim')
      expect(attacker.conversation.get()!.roomId).not.toBe(victim.conversation.get()!.roomId)
      expect(texts(attacker)).toEqual([])
    }
  })

  it('refuses every identity when the server has no identity secret', async () => {
    const server = await startServer()
    const visitor = startClient({ url: server.url, identity: { userId: 'u1', userHash: signUserId('anything', 'u1') } })
    const errors: string[] = []
    visitor.on('error', (e) => errors.push(e.message))
    await connected(visitor)
    expect(errors[0]).toMatch(/does not verify identities/)
    expect(visitor.user.get()!.id).not.toMatch(/^user:/)
  })

  it('identify() after start reconnects as the user and carries unsent messages along', async () => {
    const server = await startServer({ identitySecret: IDENTITY_SECRET })
    const visitor = startClient({ url: server.url })
    await connected(visitor)
    const anonymousRoom = visitor.conversation.get()!.roomId
    visitor.disconnect()
    visitor.send('written before logging in')
    visitor.connect()
    visitor.identify({ userId: 'cust-7', userHash: signUserId(IDENTITY_SECRET, 'cust-7') })
    await eventually(() => expect(visitor.user.get()?.id).toBe('user:cust-7'))
    await eventually(() => expect(visitor.messages.get().map((m) => [m.text, m.status])).toEqual([['written before logging in', 'sent']]))
    expect(visitor.conversation.get()!.roomId).not.toBe(anonymousRoom)
    expect(() => visitor.identify({ userId: 1 } as never)).toThrow(/userHash/)
  })
})

describe('agent tokens', () => {
  it('asks the token getter again after an expiry and keeps the outbox', async () => {
    const valid = new Set(['token-1'])
    const server = await startServer({ authenticateAgent: (token): Author | undefined => (valid.has(token) ? { id: 'ayu', role: 'agent', name: 'Ayu' } : undefined) })
    const visitor = startClient({ url: server.url })
    await connected(visitor)
    let issued = 0
    const agent = startAgent({ url: server.url, token: () => `token-${++issued}` })
    await connected(agent)
    await agent.openConversation(await startedRoom(server, visitor))

    // The token expires and the connection drops; the next handshake must use a fresh one.
    valid.delete('token-1')
    valid.add('token-3')
    server.io.disconnectSockets()
    agent.send('written while reconnecting')
    await eventually(() => expect(texts(visitor)).toEqual(['written while reconnecting']))
    expect(issued).toBeGreaterThanOrEqual(3)
    expect(agent.status.get()).toBe('connected')
  })

  it('gives up after repeated refusals of fresh tokens', async () => {
    const server = await startServer({ authenticateAgent: () => undefined })
    let issued = 0
    const agent = startAgent({ url: server.url, token: () => `token-${++issued}` })
    await eventually(() => expect(agent.status.get()).toBe('disconnected'))
    expect(issued).toBe(3)
  })
})
