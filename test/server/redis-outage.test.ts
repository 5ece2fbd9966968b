import { afterEach, describe, expect, it, vi } from 'vitest'
import { createChatServer, type ChatServer } from '../../src/server'
import { captureLogs } from '../support/log-capture'
import { startRedisServer, type RedisServer } from '../support/redis-server'
import { sleep } from './helpers'

const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

describe('a Redis outage', () => {
  it('is logged once per connection when it starts and once when it ends, not at every retry', async () => {
    let redis: RedisServer = await startRedisServer()
    cleanups.push(() => redis.stop())
    const logger = captureLogs()
    // ioredis prints "[ioredis] Unhandled error event" for every failed retry nobody listens to.
    const printed: string[] = []
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')))
    cleanups.push(async () => spy.mockRestore())
    const server: ChatServer = await createChatServer({ host: '127.0.0.1', logger, secret: 'outage-secret', redis: { url: redis.url, nodeHeartbeatMs: 100 } })
    cleanups.push(() => server.close())

    await redis.stop()
    // ioredis retries every few hundred ms: many attempts fail in this window.
    await sleep(2500)
    const lost = logger.lines.filter((line) => line.level === 'error' && line.message.includes('Redis connection lost'))
    expect(lost.map((line) => line.context.connection).sort()).toEqual(['commands', 'subscriber'])

    redis = await startRedisServer(redis.port)
    await sleep(2500)
    const back = logger.lines.filter((line) => line.message.includes('Redis connection is back'))
    expect(back.map((line) => line.context.connection).sort()).toEqual(['commands', 'subscriber'])
    // Still one "lost" per connection: the retries in between said nothing.
    expect(logger.lines.filter((line) => line.message.includes('Redis connection lost'))).toHaveLength(2)
    expect(printed.filter((line) => line.includes('ioredis'))).toEqual([])
  })
})
