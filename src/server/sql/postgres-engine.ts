/**
 * PostgreSQL through pg's pool: the store of record when several nodes serve one site. Every
 * node has its own pool; what must be atomic across nodes (a room's next seq, its next change
 * number) is read with `FOR UPDATE` inside the writing transaction, so racing nodes queue on the
 * room's row. A database that goes away fails the requests of that moment; the pool drops broken
 * connections and opens new ones once the database answers again, without a restart.
 */
import type { Kysely } from 'kysely'
import type { Pool } from 'pg'
import type { Logger } from '../logger'
import { redactUrl } from './database-url'
import type { SqlEngine } from './engine'
import { loadKysely, loadPg } from './modules'
import type { Database } from './schema'

export interface PostgresOptions {
  /** Most connections this node opens. Default 10. */
  maxConnections?: number
  /** How long a request waits for a connection (e.g. while the database is down). Default 5000. */
  connectTimeoutMs?: number
}

export async function openPostgres(url: string, logger: Logger, options: PostgresOptions = {}): Promise<SqlEngine> {
  const [pg, kysely] = await Promise.all([loadPg(), loadKysely()])
  const location = redactUrl(url)
  const pool: Pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    keepAlive: true,
  })
  // An idle connection that dies (the server restarted) is reported here; without a listener
  // Node would treat it as an unhandled error and end the process.
  pool.on('error', (error) => logger.error({ err: error, database: location }, 'PostgreSQL connection lost; the pool opens a new one when needed'))
  // A connection that dies while checked out between two statements (inside a transaction) emits
  // on its client, where the pool's listener is not: the statement in flight fails on its own, and
  // pg drops the client when it comes back, so the event only needs reporting.
  pool.on('connect', (client) => {
    client.on('error', (error) => logger.warn({ err: error, database: location }, 'PostgreSQL connection lost while in use; its work fails and is answered as such'))
  })
  try {
    const client = await pool.connect()
    client.release()
  } catch (error) {
    await pool.end()
    throw new Error(`Cannot reach PostgreSQL at ${location}: ${(error as Error).message}`, { cause: error })
  }
  const db: Kysely<Database> = new kysely.Kysely<Database>({ dialect: new kysely.PostgresDialect({ pool }) })
  return {
    kind: 'postgres',
    db,
    kysely,
    location,
    rowLocks: true,
    write: (work) => db.transaction().execute(work),
    close: () => db.destroy(),
  }
}
