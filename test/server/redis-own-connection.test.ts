/**
 * `createChatServer({ redis: { client } })`: a node on an ioredis connection the application owns
 * (the option's type describes that connection structurally, so `obrolan/server` names no ioredis
 * type). The node shares conversations with a node on a URL, and `close()` leaves the owner's
 * connection open.
 */
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { useRedisServer } from '../support/redis-server'
import { nextEvent, request, useHarness } from './helpers'

const redis = useRedisServer()
const harness = useHarness()
const connections: Redis[] = []

afterEach(async () => {
  for (const connection of connections.splice(0)) await connection.quit()
})

describe('a node on its own ioredis connection', () => {
  it('shares conversations with a node on a URL, and close() leaves the connection open', async () => {
    const connection = new Redis(redis.url)
    connections.push(connection)
    const keyPrefix = `own:${randomUUID()}:`
    const own = await harness.start({ secret: 'shared-secret', redis: { client: connection, keyPrefix } })
    const other = await harness.start({ secret: 'shared-secret', redis: { url: redis.url, keyPrefix } })

    const visitor = await harness.connect(own, { v: 2, role: 'visitor' })
    const roomId = visitor.session.roomId ?? ''
    expect(await request(visitor.socket, 'join_room', { roomId })).toMatchObject({ ok: true })
    // The first message creates the conversation; the agent on the other node opens it.
    await request(visitor.socket, 'send_message', { roomId, clientId: 'c0', text: 'hello' })
    const agent = await harness.agent(other, roomId)
    const arrived = nextEvent(agent.socket, 'new_message', (message) => message.text === 'over my own connection')
    await request(visitor.socket, 'send_message', { roomId, clientId: 'c1', text: 'over my own connection' })
    expect((await arrived).seq).toBe(2)

    await own.close()
    expect(connection.status).toBe('ready')
    expect(await connection.exists(`${keyPrefix}conversations`)).toBe(1)
  })
})
