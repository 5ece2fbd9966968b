import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import type { PresenceStore } from '../../src/server/presence'
import { createRedisPresence } from '../../src/server/redis-presence'
import { useRedisServer } from '../support/redis-server'
import { describePresenceContract } from './presence-contract'

const redis = useRedisServer()
const clients: Redis[] = []
const stores: PresenceStore[] = []
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()))
  await Promise.all(clients.splice(0).map((client) => (client.status === 'end' ? undefined : client.quit())))
})

function connect(): Redis {
  const client = new Redis(redis.url)
  clients.push(client)
  return client
}

interface Node {
  presence: PresenceStore
  client: Redis
  changes: string[][]
}

/** A started presence on its own connection, as one server node has it. */
async function node(keyPrefix: string, timing = { heartbeatMs: 50, nodeTtlMs: 200 }, now = () => 1): Promise<Node> {
  const client = connect()
  const presence = createRedisPresence({ client, keyPrefix, now, ...timing })
  const changes: string[][] = []
  await presence.start((roomIds) => changes.push(roomIds))
  stores.push(presence)
  return { presence, client, changes }
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describePresenceContract('Redis presence', async (now) => {
  const client = connect()
  const presence = createRedisPresence({ client, keyPrefix: `p:${randomUUID()}:`, now })
  await presence.start(() => {})
  return presence
})

describe('Redis presence across nodes', () => {
  it('stores users the way the field notes do, and one entry per socket', async () => {
    const prefix = `p:${randomUUID()}:`
    const { presence, client } = await node(prefix, undefined, () => 1_737_714_600_000)
    await presence.join('room-1', 'sock-a', { id: 'user_123', role: 'visitor', name: 'Budi' })
    await presence.join('room-1', 'sock-b', { id: 'agent_456', role: 'agent' })
    const users = await client.hgetall(`${prefix}session:room-1:users`)
    expect(Object.fromEntries(Object.entries(users).map(([id, json]) => [id, JSON.parse(json)]))).toEqual({
      user_123: { user_id: 'user_123', user_type: 'customer', name: 'Budi', joined_at: 1_737_714_600_000 },
      agent_456: { user_id: 'agent_456', user_type: 'agent', joined_at: 1_737_714_600_000 },
    })
    const sockets = await client.hgetall(`${prefix}session:room-1:sockets`)
    expect(Object.values(sockets).sort()).toEqual(['agent_456', 'user_123'])
    expect(Object.keys(sockets).every((key) => /^[0-9a-f-]{36}\.0\/sock-[ab]$/.test(key))).toBe(true)
    expect(await client.pttl(`${prefix}session:room-1:users`)).toBe(-1)
  })

  it('keeps a user with sockets on two nodes present until the last one leaves', async () => {
    const prefix = `p:${randomUUID()}:`
    const a = await node(prefix)
    const b = await node(prefix)
    const user = { id: 'v', role: 'visitor' as const }
    expect(await a.presence.join('r', 's1', user)).toBe(true)
    expect(await b.presence.join('r', 's2', user)).toBe(false)
    expect(await a.presence.leaveAll('s1')).toEqual([])
    expect((await b.presence.presence('r')).totalVisitor).toBe(1)
    expect(await b.presence.leave('r', 's2')).toBe(true)
    expect((await a.presence.presence('r')).users).toEqual({})
  })

  it("sweeps a crashed node's sockets once its liveness key expires, and says which rooms changed", async () => {
    const prefix = `p:${randomUUID()}:`
    const a = await node(prefix)
    const b = await node(prefix)
    await a.presence.join('r', 'sa', { id: 'v', role: 'visitor' })
    await a.presence.join('quiet', 'sa2', { id: 'v2', role: 'visitor' })
    await b.presence.join('r', 'sb', { id: 'agent', role: 'agent' })
    await b.presence.join('quiet', 'sb2', { id: 'v2', role: 'visitor' })
    expect(await b.client.scard(`${prefix}nodes`)).toBe(2)

    const crashedAt = Date.now()
    a.client.disconnect() // no goodbye: the node stops beating, as a killed process would
    await until(() => b.changes.flat().includes('r'))
    const sweptAfter = Date.now() - crashedAt
    expect(sweptAfter).toBeGreaterThanOrEqual(100)
    expect(sweptAfter).toBeLessThan(1000)
    // 'quiet' lost a socket but no user (v2 is still on b), so it is not news.
    expect(b.changes.flat()).toEqual(['r'])
    expect(await b.presence.presence('r')).toMatchObject({ totalVisitor: 0, totalAgent: 1 })
    expect((await b.presence.presence('quiet')).totalVisitor).toBe(1)
    expect(Object.keys(await b.client.hgetall(`${prefix}session:r:sockets`))).toHaveLength(1)
    expect(await b.client.scard(`${prefix}nodes`)).toBe(1)
  })

  it('comes back under a new id after its own key expired (a long pause) and re-adds its sockets', async () => {
    const prefix = `p:${randomUUID()}:`
    const a = await node(prefix, { heartbeatMs: 100, nodeTtlMs: 1000 })
    const b = await node(prefix, { heartbeatMs: 50, nodeTtlMs: 1000 })
    await a.presence.join('r', 'sa', { id: 'v', role: 'visitor' })
    const [entry] = Object.keys(await a.client.hgetall(`${prefix}session:r:sockets`))
    const firstId = entry?.split('/')[0]
    // As if a had slept through its TTL: its key is gone and b sweeps its sockets.
    await b.client.del(`${prefix}node:${firstId}:alive`)
    await until(() => b.changes.flat().includes('r'))
    // a notices on its next beat, re-adds its socket under a new id and announces the room.
    await until(() => a.changes.flat().includes('r'))
    expect((await b.presence.presence('r')).totalVisitor).toBe(1)
    const socketKeys = Object.keys(await b.client.hgetall(`${prefix}session:r:sockets`))
    expect(socketKeys).toHaveLength(1)
    expect(socketKeys[0]).toMatch(/\.1\/sa$/)
    // And leaving still works under the new id.
    expect(await a.presence.leave('r', 'sa')).toBe(true)
  })

  it('removes its own sockets on close and leaves no keys behind', async () => {
    const prefix = `p:${randomUUID()}:`
    const a = await node(prefix)
    const b = await node(prefix)
    await a.presence.join('r', 'sa', { id: 'v', role: 'visitor' })
    await b.presence.join('r', 'sb', { id: 'agent', role: 'agent' })
    await a.presence.close()
    expect(a.changes.flat()).toEqual(['r'])
    expect(await b.presence.presence('r')).toMatchObject({ totalVisitor: 0, totalAgent: 1 })
    await b.presence.close()
    expect(await b.client.keys(`${prefix}*`)).toEqual([])
  })

  it('refuses a TTL that a single late beat could outlive', () => {
    expect(() => createRedisPresence({ client: connect(), now: Date.now, heartbeatMs: 5000, nodeTtlMs: 5000 })).toThrow(RangeError)
  })
})
