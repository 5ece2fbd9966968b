/** `search_messages` over a real socket: agents find messages of every conversation, visitors are refused. */
import { describe, expect, it } from 'vitest'
import { createChatServer } from '../../src/server'
import { AGENT_AUTH, request, useHarness } from './helpers'

const harness = useHarness()

describe('search_messages', () => {
  it('finds messages of every conversation for an agent, newest first, and pages with before', async () => {
    const server = await harness.start()
    const first = await harness.visitor(server)
    const second = await harness.visitor(server)
    for (const [client, text] of [
      [first, 'Paket saya belum sampai'],
      [second, 'Where is my paket?'],
      [first, 'unrelated'],
    ] as const) {
      expect(await request(client.socket, 'send_message', { roomId: client.roomId, clientId: text, text })).toMatchObject({ ok: true })
    }
    const agent = await harness.agent(server)
    const found = await request(agent.socket, 'search_messages', { text: 'PAKET' })
    if (!found.ok) throw new Error(found.error.message)
    expect(found.messages.map((m) => [m.roomId, m.text])).toEqual([
      [second.roomId, 'Where is my paket?'],
      [first.roomId, 'Paket saya belum sampai'],
    ])
    const older = await request(agent.socket, 'search_messages', { text: 'paket', limit: 5, before: found.messages[0]!.createdAt })
    expect(older.ok && older.messages.every((m) => m.createdAt < found.messages[0]!.createdAt)).toBe(true)
    expect(await request(agent.socket, 'search_messages', { text: 'paket', limit: 1 })).toMatchObject({ ok: true, messages: [{ text: 'Where is my paket?' }] })
  })

  it('refuses visitors with forbidden, and says why', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    await request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: 'c1', text: 'my own words' })
    expect(await request(visitor.socket, 'search_messages', { text: 'words' })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'Only agents may do this' },
    })
  })

  it('refuses a query longer than 200 characters as bad_request', async () => {
    const server = await harness.start()
    const agent = await harness.agent(server)
    const ack = await request(agent.socket, 'search_messages', { text: 'x'.repeat(201) })
    expect(ack).toMatchObject({ ok: false, error: { code: 'bad_request' } })
  })

  it('counts against the room rate limit, with the default limits', async () => {
    const server = await createChatServer({ host: '127.0.0.1', agentToken: AGENT_AUTH.token })
    try {
      const agent = await harness.connect(server, AGENT_AUTH)
      const acks = await Promise.all(Array.from({ length: 45 }, () => request(agent.socket, 'search_messages', { text: 'x' })))
      expect(acks.filter((ack) => ack.ok)).toHaveLength(40)
      expect(acks.find((ack) => !ack.ok)).toMatchObject({ ok: false, error: { code: 'rate_limited' } })
    } finally {
      await server.close()
    }
  })
})
