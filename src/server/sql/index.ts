/**
 * Opening the SQL store a `database` URL names: the engine, then its migrations, then the store.
 * Everything here is loaded on demand (see `modules.ts`).
 */
import { defaultLogger, type Logger } from '../logger'
import { parseDatabaseUrl } from './database-url'
import type { SqlEngine } from './engine'
import { migrate } from './migrate'
import { openPostgres, type PostgresOptions } from './postgres-engine'
import { SqlStore } from './sql-store'
import { openSqlite, type SqliteOptions } from './sqlite-engine'

export { SqlStore } from './sql-store'
export { SqlAccountStore } from './sql-account-store'
export { parseDatabaseUrl, redactUrl, type DatabaseTarget } from './database-url'

export interface CreateSqlStoreOptions extends SqliteOptions, PostgresOptions {
  /** Where the pool reports connections it lost. Default: pino at `LOG_LEVEL`. */
  logger?: Logger
}

/**
 * A store on `url` (`sqlite:<path>`, folder created when missing, or `postgres://…`), migrated to
 * this version's schema; refuses a database whose schema is newer than this code knows.
 */
export async function createSqlStore(url: string, options: CreateSqlStoreOptions = {}): Promise<SqlStore> {
  const target = parseDatabaseUrl(url)
  const engine: SqlEngine =
    target.engine === 'sqlite' ? await openSqlite(target.path, options) : await openPostgres(target.url, options.logger ?? defaultLogger(), options)
  try {
    await migrate(engine)
  } catch (error) {
    await engine.close()
    throw error
  }
  return new SqlStore(engine)
}
