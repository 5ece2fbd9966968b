import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import type { Store } from '../../src/server'
import { createRedisStore, RedisStore } from '../../src/server/redis-store'
import { useRedisServer } from '../support/redis-server'
import { describeStoreContract } from './store-contract'

const redis = useRedisServer()

/** Each store gets a key prefix of its own, so tests sharing the server never see each other. */
const prefixes = new WeakMap<Store, string>()

describeStoreContract('RedisStore', {
  async create() {
    const keyPrefix = `test:${randomUUID()}:`
    const store = await createRedisStore({ url: redis.url, keyPrefix })
    prefixes.set(store, keyPrefix)
    return store
  },
  // A second connection under the same prefix: what another server node has.
  async another(store) {
    return createRedisStore({ url: redis.url, keyPrefix: prefixes.get(store) as string })
  },
})

describe('RedisStore specifics', () => {
  const clients: Redis[] = []
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.quit()))
  })
  function connect(): Redis {
    const client = new Redis(redis.url)
    clients.push(client)
    return client
  }

  it('lays keys out as documented, durable (no TTL) and under its prefix only', async () => {
    const client = connect()
    const store = new RedisStore(client, { keyPrefix: 'layout:' })
    await store.openVisitorConversation({ id: 'v', role: 'visitor' }, 'r1', 1)
    await store.appendMessage({ roomId: 'r1', clientId: 'c', author: { id: 'v', role: 'visitor' }, text: 'hi', createdAt: 2 }, 'm1')
    await store.updateMessage('r1', 'm1', { text: 'hey', editedAt: 3 })
    expect((await client.keys('layout:*')).sort()).toEqual([
      'layout:conversations',
      'layout:room:r1:authored:visitor',
      'layout:room:r1:changes',
      'layout:room:r1:client-ids',
      'layout:room:r1:conversation',
      'layout:room:r1:ids',
      'layout:room:r1:messages',
      'layout:visitor:v',
    ])
    for (const key of await client.keys('layout:*')) expect(await client.pttl(key)).toBe(-1)
    expect(JSON.parse((await client.hget('layout:room:r1:messages', '1')) ?? '')).toMatchObject({ seq: 1, id: 'm1', text: 'hey', changeSeq: 1 })
    expect(await client.zscore('layout:room:r1:changes', '1')).toBe('1')
    expect(await client.hget('layout:room:r1:client-ids', 'c')).toBe('1')
    expect(await client.zscore('layout:conversations', 'r1')).toBe('2')
    await client.del(...(await client.keys('layout:*')))
  })

  it('cannot be steered into another room’s keys by a crafted room id', async () => {
    const client = connect()
    const store = new RedisStore(client, { keyPrefix: `t:${randomUUID()}:` })
    const { roomId } = await store.openVisitorConversation({ id: 'v', role: 'visitor' }, 'r', 1)
    // A clientId named like a conversation field, then room ids naming that room's other keys.
    await store.appendMessage({ roomId, clientId: 'roomId', author: { id: 'v', role: 'visitor' }, text: 'x', createdAt: 2 }, 'm1')
    for (const crafted of [`${roomId}:client-ids`, `${roomId}:messages`, `${roomId}:ids`, `${roomId}:authored`, `${roomId}:changes`]) {
      expect(await store.getConversation(crafted)).toBeUndefined()
    }
  })

  it('leaves a client it was given open, and quits one it opened', async () => {
    const client = connect()
    const borrowed = await createRedisStore({ client, keyPrefix: `t:${randomUUID()}:` })
    await borrowed.close()
    expect(await client.ping()).toBe('PONG')

    const owned = await createRedisStore({ url: redis.url, keyPrefix: `t:${randomUUID()}:` })
    await owned.close()
    await expect(owned.getConversation('x')).rejects.toThrow()
  })

  it('fails at once, with the address, when Redis cannot be reached', async () => {
    await expect(createRedisStore({ url: 'redis://127.0.0.1:1' })).rejects.toThrow(/Cannot reach Redis at redis:\/\/127\.0\.0\.1:1/)
  })
})
