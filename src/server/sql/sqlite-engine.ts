/**
 * SQLite through better-sqlite3: one file, WAL mode (readers never wait for the writer),
 * `synchronous=FULL` (a commit is on disk before the store says so, even across a power cut: the
 * server acknowledges only what it kept), a busy timeout for a second process on the same file,
 * and foreign keys on.
 *
 * One writer: Kysely drives a single connection behind a mutex, and stores opened on one file in
 * one process share that engine (counted, closed with the last one), because two connections of
 * one process would wait on each other's lock while better-sqlite3 blocks the thread they share.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Database as SqliteDatabase } from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { SqlEngine } from './engine'
import { explainMissingAddon, loadBetterSqlite3, loadKysely } from './modules'
import type { Database } from './schema'

export interface SqliteOptions {
  /** How long a write waits for another process's lock before failing with SQLITE_BUSY. Default 5000. */
  busyTimeoutMs?: number
}

interface Shared {
  engine: Promise<SqlEngine>
  users: number
}

const open = new Map<string, Shared>()

/** The engine for `path`, shared with every other store of this process on the same file. */
export async function openSqlite(path: string, options: SqliteOptions = {}): Promise<SqlEngine> {
  let shared = open.get(path)
  if (!shared) {
    shared = { engine: createEngine(path, options, () => open.delete(path)), users: 0 }
    open.set(path, shared)
    shared.engine.catch(() => open.delete(path))
  }
  shared.users++
  const engine = await shared.engine
  const entry = shared
  let closed = false
  return {
    ...engine,
    write: engine.write,
    async close() {
      if (closed) return
      closed = true
      if (--entry.users === 0) await engine.close()
    },
  }
}

async function createEngine(path: string, options: SqliteOptions, forget: () => void): Promise<SqlEngine> {
  const [BetterSqlite3, kysely] = await Promise.all([loadBetterSqlite3(), loadKysely()])
  mkdirSync(dirname(path), { recursive: true })
  let database: SqliteDatabase
  try {
    database = new BetterSqlite3(path)
  } catch (error) {
    throw describe(path, explainMissingAddon(error))
  }
  try {
    const mode = database.pragma('journal_mode = WAL', { simple: true })
    if (mode !== 'wal') throw new Error(`journal_mode is ${String(mode)}, not wal`)
    database.pragma('synchronous = FULL')
    database.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`)
    database.pragma('foreign_keys = ON')
  } catch (error) {
    database.close()
    throw describe(path, error)
  }
  const db: Kysely<Database> = new kysely.Kysely<Database>({ dialect: new kysely.SqliteDialect({ database }) })
  const { sql } = kysely
  return {
    kind: 'sqlite',
    db,
    kysely,
    location: path,
    rowLocks: false,
    write: (work) =>
      db.connection().execute(async (connection) => {
        await sql`begin immediate`.execute(connection)
        try {
          const result = await work(connection)
          await sql`commit`.execute(connection)
          return result
        } catch (error) {
          // SQLite rolls some failures back by itself (a full disk, an I/O error); then there is
          // no transaction left to roll back.
          if (database.inTransaction) {
            try {
              await sql`rollback`.execute(connection)
            } catch (rollbackError) {
              throw new AggregateError([error, rollbackError], `rolling back failed after: ${(error as Error).message}`)
            }
          }
          throw error
        }
      }),
    async close() {
      forget()
      await db.destroy()
    },
  }
}

function describe(path: string, error: unknown): Error {
  const message = (error as Error)?.message ?? String(error)
  return new Error(`Cannot open the SQLite database ${path}: ${message}`, { cause: error })
}
