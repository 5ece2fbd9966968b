/**
 * The database failing under a running server, on each engine: a full disk and a locked file on
 * SQLite, PostgreSQL going away and coming back. Requests made meanwhile are answered `internal`
 * (and logged with their context), nothing is acknowledged that was not stored, and the same
 * server serves again once the database does, without a restart.
 *
 * The full disk is real: a small tmpfs mounted for the test (the tests run as root, as CI does).
 */
import { execFile } from 'node:child_process'
import { mkdtemp, open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import type { WireMessage } from '../../src/protocol'
import { DEFAULT_RATE_LIMITS, type ChatServer } from '../../src/server'
import { createSqlStore } from '../../src/server/sql'
import { openPostgres } from '../../src/server/sql/postgres-engine'
import { usePostgresServer } from '../support/postgres-server'
import { request, useHarness, type Client } from './helpers'

const run = promisify(execFile)
const harness = useHarness()
const postgres = usePostgresServer()
const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

/** A server whose unexpected errors are collected, as an owner's onError hook would see them. */
async function serverOn(options: Parameters<typeof harness.start>[0]) {
  const errors: Record<string, unknown>[] = []
  const server = await harness.start({ secret: 'outage-secret', onError: (_error, context) => errors.push(context), ...options })
  return { server, errors }
}

async function send(client: Client & { roomId: string }, clientId: string, text = clientId) {
  return request(client.socket, 'send_message', { roomId: client.roomId, clientId, text })
}

/** What the store holds of the room: it must be exactly the acknowledged messages, once each. */
async function expectOnlyAcknowledged(server: ChatServer, roomId: string, acknowledged: WireMessage[]) {
  const { messages } = await server.store.getMessages(roomId, { afterSeq: 0, limit: 200 })
  expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1))
  expect(messages.map((m) => m.clientId)).toEqual(acknowledged.map((m) => m.clientId))
}

describe('SQLite outages', () => {
  it('answers internal on a full disk, acknowledges nothing it could not store, and recovers when space is freed', { timeout: 30_000 }, async () => {
    const mountPoint = await mkdtemp(join(tmpdir(), 'obrolan-full-'))
    await run('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mountPoint])
    cleanups.push(async () => {
      await run('umount', [mountPoint])
      await rm(mountPoint, { recursive: true, force: true })
    })
    const { server, errors } = await serverOn({ database: `sqlite:${join(mountPoint, 'obrolan.db')}` })
    // Closed before the unmount (cleanups run last first), which needs the file released.
    cleanups.push(() => server.close())
    const visitor = await harness.visitor(server)
    const acknowledged: WireMessage[] = []
    const first = await send(visitor, 'before')
    if (!first.ok) throw new Error(first.error.message)
    acknowledged.push(first.message)

    // Fill what is left of the disk.
    const filler = await open(join(mountPoint, 'filler'), 'w')
    const chunk = Buffer.alloc(64 * 1024, 1)
    try {
      for (;;) await filler.write(chunk)
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC')
    } finally {
      await filler.close()
    }
    // The WAL may still have room for a few; text this long fills it soon.
    const refused: string[] = []
    for (let i = 0; i < 100 && refused.length === 0; i++) {
      const ack = await send(visitor, `full-${i}`, `${i} `.repeat(1500))
      if (ack.ok) acknowledged.push(ack.message)
      else {
        expect(ack.error).toEqual({ code: 'internal', message: 'Internal server error' })
        refused.push(`full-${i}`)
      }
    }
    expect(refused).toHaveLength(1)
    expect(errors.find((context) => context.event === 'send_message')).toMatchObject({ event: 'send_message', user: visitor.session.user.id })
    // Reads still work while writes cannot.
    expect(await request(visitor.socket, 'get_history', { roomId: visitor.roomId, afterSeq: 0 })).toMatchObject({ ok: true })

    await rm(join(mountPoint, 'filler'))
    const retried = await send(visitor, refused[0]!, 'sent again')
    if (!retried.ok) throw new Error(retried.error.message)
    acknowledged.push(retried.message)
    const after = await send(visitor, 'after')
    if (!after.ok) throw new Error(after.error.message)
    acknowledged.push(after.message)
    await expectOnlyAcknowledged(server, visitor.roomId, acknowledged)
  })

  it('answers internal while another process holds the write lock, and serves again once it lets go', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'obrolan-locked-'))
    cleanups.push(() => rm(folder, { recursive: true, force: true }))
    const path = join(folder, 'obrolan.db')
    const store = await createSqlStore(`sqlite:${path}`, { busyTimeoutMs: 200 })
    cleanups.push(() => store.close())
    const { server, errors } = await serverOn({ store, rateLimits: DEFAULT_RATE_LIMITS })
    const visitor = await harness.visitor(server)
    const acknowledged: WireMessage[] = []
    const first = await send(visitor, 'before')
    if (first.ok) acknowledged.push(first.message)

    const other = new BetterSqlite3(path)
    other.exec('begin exclusive')
    const locked = await send(visitor, 'while-locked')
    expect(locked).toEqual({ ok: false, error: { code: 'internal', message: 'Internal server error' } })
    expect(errors.at(-1)).toMatchObject({ event: 'send_message' })
    other.exec('commit')
    other.close()

    const retried = await send(visitor, 'while-locked')
    if (!retried.ok) throw new Error(retried.error.message)
    acknowledged.push(retried.message)
    expect(retried.message.seq).toBe(2)
    await expectOnlyAcknowledged(server, visitor.roomId, acknowledged)
  })
})

describe('PostgreSQL outage', () => {
  it('answers internal while the database is down, and serves again when it is back, without a restart', { timeout: 30_000 }, async () => {
    const database = await postgres.server.createDatabase()
    const { server, errors } = await serverOn({ database, rateLimits: DEFAULT_RATE_LIMITS })
    const visitor = await harness.visitor(server)
    const agent = await harness.agent(server)
    const acknowledged: WireMessage[] = []
    const first = await send(visitor, 'before')
    if (first.ok) acknowledged.push(first.message)

    await postgres.server.stop()
    cleanups.push(() => postgres.server.start().catch(() => undefined))
    expect(await send(visitor, 'during')).toEqual({ ok: false, error: { code: 'internal', message: 'Internal server error' } })
    expect(await request(agent.socket, 'list_conversations', {})).toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(await request(agent.socket, 'search_messages', { text: 'before' })).toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(errors.map((context) => context.event)).toEqual(expect.arrayContaining(['send_message', 'list_conversations', 'search_messages']))

    await postgres.server.start()
    const retried = await send(visitor, 'during')
    if (!retried.ok) throw new Error(retried.error.message)
    acknowledged.push(retried.message)
    expect(await request(agent.socket, 'list_conversations', {})).toMatchObject({ ok: true, conversations: [{ roomId: visitor.roomId, lastSeq: 2 }] })
    await expectOnlyAcknowledged(server, visitor.roomId, acknowledged)
  })
  it('reports a connection that dies inside a transaction, between two statements, and fails that work only', { timeout: 30_000 }, async () => {
    const database = await postgres.server.createDatabase()
    const warnings: unknown[] = []
    const logger = { debug() {}, info() {}, warn: (fields: unknown) => void warnings.push(fields), error() {} }
    const engine = await openPostgres(database, logger)
    cleanups.push(() => engine.close().catch(() => undefined))
    const { sql } = engine.kysely
    // The transaction holds its connection while the server goes away (pg_ctl stop -m fast ends it).
    const work = engine.write(async (tx) => {
      await sql`select 1`.execute(tx)
      await postgres.server.stop()
      await new Promise((resolve) => setTimeout(resolve, 200))
      await sql`select 2`.execute(tx)
    })
    cleanups.push(() => postgres.server.start().catch(() => undefined))
    await expect(work).rejects.toThrow()
    expect(warnings).toContainEqual(expect.objectContaining({ database: expect.any(String) }))
    await postgres.server.start()
    const { rows } = await sql<{ n: number }>`select 3 as n`.execute(engine.db)
    expect(rows).toEqual([{ n: 3 }])
  })
})
