/**
 * The promise webhooks make, on SQLite and on PostgreSQL: the receiver dies while events stream
 * out, the chat server is restarted on the same database while it is down, then the receiver comes
 * back. Every event arrives at least once, each can be deduplicated by its id, and the events of
 * each conversation arrive in the order they happened.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ChatServer } from '../../src/server'
import { usePostgresServer } from '../support/postgres-server'
import { startWebhookReceiver } from '../support/webhook-receiver'
import { request, useHarness } from './helpers'
import { api, apiKey, ownerOf } from './owner-browser'
import { until } from '../support/until'

const folder = mkdtempSync(join(tmpdir(), 'obrolan-durable-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))
const harness = useHarness()
const postgres = usePostgresServer()

const options = { accounts: true, secret: 'a-secret-every-start-of-this-site-shares', deliveries: { firstRetryMs: 40, maxRetryMs: 250, pollMs: 30, timeoutMs: 1000 } }

interface Event {
  id: string
  type: string
  data: { conversation: { roomId: string }; message?: { seq: number } }
}

const engines: [string, () => Promise<string>][] = [
  ['SQLite', async () => `sqlite:${join(folder, 'durable.db')}`],
  ['PostgreSQL', () => postgres.server.createDatabase()],
]

describe.each(engines)('webhooks on %s', (_engine, databaseUrl) => {
  it('deliver every event through a dead receiver and a restart, at least once and in order per conversation', { timeout: 60_000 }, async () => {
    const database = await databaseUrl()
    const receiver = await startWebhookReceiver()
    try {
      let server: ChatServer = await harness.start({ ...options, database })
      const owner = await ownerOf(server)
      expect((await owner.call('POST', '/api/integrations/webhooks', { url: receiver.url })).status).toBe(200)
      const token = await apiKey(owner, ['write'])
      const rooms: string[] = []
      for (let i = 0; i < 3; i++) {
        const visitor = await harness.connect(server, { v: 2, role: 'visitor' })
        const roomId = visitor.session.roomId!
        expect((await request(visitor.socket, 'send_message', { roomId, clientId: 'first', text: `visitor ${i}` })).ok).toBe(true)
        rooms.push(roomId)
      }
      let posted = 0
      const postRound = async (target: ChatServer): Promise<void> => {
        for (const roomId of rooms) {
          const reply = await api(target, token)('POST', `/conversations/${roomId}/messages`, { text: `update ${posted}`, bot: 'Sync' }, { 'Idempotency-Key': `u${posted}-${roomId}` })
          expect(reply.status).toBe(201)
        }
        posted++
      }

      // Streaming; the receiver dies once some of it has arrived.
      while (receiver.deliveries.length < 8) await postRound(server)
      await receiver.kill()
      const beforeDeath = receiver.deliveries.length
      for (let i = 0; i < 4; i++) await postRound(server)

      // The chat server restarts while the receiver is still down, and chat goes on.
      await server.close()
      server = await harness.start({ ...options, database })
      for (let i = 0; i < 4; i++) await postRound(server)
      await receiver.revive()

      const expected = new Map<string, string[]>() // room → event ids in the order they happened
      const seqs = 1 + posted
      const received = () => receiver.deliveries.map((delivery) => JSON.parse(delivery.body) as Event)
      await until(() => new Set(received().map((event) => event.id)).size >= rooms.length * (1 + seqs), 30_000)

      const firstSeen = new Map<string, Event>()
      for (const event of received()) if (!firstSeen.has(event.id)) firstSeen.set(event.id, event)
      for (const roomId of rooms) {
        const ofRoom = [...firstSeen.values()].filter((event) => event.data.conversation.roomId === roomId)
        expect(ofRoom.map((event) => event.type)).toEqual(['conversation.created', ...Array.from({ length: seqs }, () => 'message.created')])
        expect(ofRoom.slice(1).map((event) => event.data.message!.seq)).toEqual(Array.from({ length: seqs }, (_, i) => i + 1))
        expected.set(roomId, ofRoom.map((event) => event.id))
      }
      expect(firstSeen.size).toBe(rooms.length * (1 + seqs))
      // Copies are allowed (at least once) and carry the same id as the first.
      expect(receiver.deliveries.length).toBeGreaterThanOrEqual(firstSeen.size)
      expect(beforeDeath).toBeLessThan(firstSeen.size)
      expect(expected.size).toBe(3)
    } finally {
      await receiver.close()
    }
  })
})
