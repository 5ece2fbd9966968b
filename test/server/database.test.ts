/**
 * The `database` option: what it opens, what it refuses, and how it sits beside `redis`. Real
 * SQLite files in a temporary folder and a real Redis; the engines' own behaviour is the store
 * contract's (sql-store.test.ts).
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChatServer, type Logger } from '../../src/server'
import { createSqlStore, type SqlStore } from '../../src/server/sql'
import { useRedisServer } from '../support/redis-server'
import { AGENT_AUTH, NO_RATE_LIMITS, request, useHarness } from './helpers'
import { MIGRATIONS } from '../../src/server/sql/migrations'

const harness = useHarness()
const redis = useRedisServer()
let folder = ''
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'obrolan-db-'))
})
afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

function recordingLogger(): Logger & { lines: { level: string; message: string; context: Record<string, unknown> }[] } {
  const lines: { level: string; message: string; context: Record<string, unknown> }[] = []
  const log = (level: string) => (context: Record<string, unknown>, message: string) => void lines.push({ level, message, context })
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }
}

describe('database option', () => {
  it('creates the SQLite file and its folder, in WAL mode with full sync, and keeps conversations over a restart', async () => {
    const path = join(folder, 'new', 'nested', 'obrolan.db')
    const logger = recordingLogger()
    const server = await harness.start({ database: `sqlite:${path}`, secret: 'restart-secret', logger })
    expect((await stat(path)).isFile()).toBe(true)
    const engine = (server.store as SqlStore).engine
    const { sql } = engine.kysely
    expect((await sql<{ journal_mode: string }>`pragma journal_mode`.execute(engine.db)).rows[0]?.journal_mode).toBe('wal')
    expect((await sql<{ synchronous: number }>`pragma synchronous`.execute(engine.db)).rows[0]?.synchronous).toBe(2) // FULL
    expect(logger.lines.find((line) => line.message.startsWith('chat server listening'))?.context.store).toBe('sqlite')
    expect(logger.lines.filter((line) => line.level === 'warn').map((line) => line.message).join('\n')).not.toMatch(/memory/)

    const visitor = await harness.connect(server, { v: 2, role: 'visitor' })
    const roomId = visitor.session.roomId as string
    expect(await request(visitor.socket, 'send_message', { roomId, clientId: 'c1', text: 'kept' })).toMatchObject({ ok: true })
    visitor.socket.disconnect()
    await server.close()

    const again = await harness.start({ database: `sqlite:${path}`, secret: 'restart-secret' })
    const back = await harness.connect(again, { v: 2, role: 'visitor', visitorId: visitor.session.user.id, token: visitor.session.visitorToken })
    expect(back.session.roomId).toBe(roomId)
    const joined = await request(back.socket, 'join_room', { roomId })
    expect(joined).toMatchObject({ ok: true, messages: [{ seq: 1, text: 'kept' }] })
  })

  it('warns at start that a server without a database keeps nothing over a restart', async () => {
    const logger = recordingLogger()
    await harness.start({ logger })
    const warning = logger.lines.find((line) => line.level === 'warn' && /memory/.test(line.message))
    expect(warning?.message).toMatch(/nothing survives a restart/)
  })

  it('refuses unclear settings with a message that names them', async () => {
    await expect(createChatServer({ database: 'mysql://x' })).rejects.toThrow(/database must start with sqlite: or postgres:\/\//)
    await expect(createChatServer({ database: 'sqlite:' })).rejects.toThrow(/names no file/)
    const store = await createSqlStore(`sqlite:${join(folder, 'y.db')}`)
    await expect(createChatServer({ database: `sqlite:${join(folder, 'x.db')}`, store })).rejects.toThrow(/`database` or `store`, not both/)
    await store.close()
    await expect(createChatServer({ retentionDays: 0 })).rejects.toThrow(/retentionDays must be a positive number/)
    await expect(createChatServer({ database: 'postgres://nobody@127.0.0.1:1/none' })).rejects.toThrow(/Cannot reach PostgreSQL at postgres:\/\/nobody@127\.0\.0\.1:1\/none/)
  })

  it('refuses a file that is not a database, saying which', async () => {
    const path = join(folder, 'garbage.db')
    await writeFile(path, 'this is not a database, just text that fills the header and more '.repeat(100))
    await expect(createChatServer({ database: `sqlite:${path}` })).rejects.toThrow(new RegExp(`Cannot open the SQLite database ${path}: file is not a database`))
  })

  it('refuses a database whose schema is newer than the code', async () => {
    const path = join(folder, 'newer.db')
    await (await createSqlStore(`sqlite:${path}`)).close()
    const raw = new BetterSqlite3(path)
    raw.prepare('insert into obrolan_migration (name, timestamp) values (?, ?)').run('0099-from-the-future', new Date().toISOString())
    raw.close()
    const newest = MIGRATIONS[MIGRATIONS.length - 1]![0]
    await expect(createSqlStore(`sqlite:${path}`)).rejects.toThrow(`has schema version 0099-from-the-future, newer than this version of obrolan knows (${newest})`)
  })

  it('with redis too, keeps conversations in the database and nothing of them in Redis', async () => {
    const keyPrefix = 'db-and-redis:'
    const server = await harness.start({ database: `sqlite:${join(folder, 'with-redis.db')}`, redis: { url: redis.url, keyPrefix }, secret: 'shared-secret' })
    expect(server.store).toHaveProperty('engine')
    const visitor = await harness.visitor(server)
    await request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: 'c1', text: 'in sql' })
    const agent = await harness.agent(server)
    expect(await request(agent.socket, 'list_conversations', {})).toMatchObject({ ok: true, conversations: [{ roomId: visitor.roomId, lastSeq: 1 }] })
    const client = new Redis(redis.url)
    try {
      const keys = await client.keys(`${keyPrefix}*`)
      expect(keys.some((key) => key.includes(':session:'))).toBe(true)
      expect(keys.filter((key) => key.includes(':room:') || key.includes(':visitor:') || key.endsWith('conversations'))).toEqual([])
    } finally {
      await client.quit()
    }
  })

  it('deletes conversations closed longer than retentionDays, at start, and keeps the rest', async () => {
    const url = `sqlite:${join(folder, 'retention.db')}`
    const seed = await createSqlStore(url)
    const day = 86_400_000
    const old = await seed.openVisitorConversation({ id: 'old', role: 'visitor' }, 'room-old', 0)
    const fresh = await seed.openVisitorConversation({ id: 'fresh', role: 'visitor' }, 'room-fresh', 0)
    await seed.setStatus(old.roomId, 'closed', 1 * day)
    await seed.setStatus(fresh.roomId, 'closed', 20 * day)
    await seed.close()
    const logger = recordingLogger()
    const server = await harness.start({ database: url, retentionDays: 30, now: () => 40 * day, logger, rateLimits: NO_RATE_LIMITS })
    await expect.poll(() => server.store.getConversation(old.roomId)).toBeUndefined()
    expect(await server.store.getConversation(fresh.roomId)).toMatchObject({ status: 'closed' })
    expect(logger.lines.find((line) => /retention/.test(line.message))?.context).toMatchObject({ deleted: 1, retentionDays: 30 })
    const agent = await harness.connect(server, AGENT_AUTH)
    expect(await request(agent.socket, 'list_conversations', {})).toMatchObject({ ok: true, conversations: [{ roomId: fresh.roomId }] })
  })
})
