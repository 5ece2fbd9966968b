/**
 * What the SQL store needs from an engine, so that one store speaks SQLite and PostgreSQL: a
 * Kysely instance, a write transaction that holds the room's write lock, and the few places where
 * the dialects differ (row locks, the search index).
 */
import type { Kysely } from 'kysely'
import type { KyselyModule } from './modules'
import type { Database } from './schema'

export type EngineKind = 'sqlite' | 'postgres'

export interface SqlEngine {
  readonly kind: EngineKind
  readonly db: Kysely<Database>
  /** The kysely module (its `sql` tag), loaded on demand. */
  readonly kysely: KyselyModule
  /** Where the data lives, for logs: a file path, or the URL without its password. */
  readonly location: string
  /**
   * Runs `work` in a transaction that holds the write lock from its first statement: SQLite
   * `BEGIN IMMEDIATE` (one writer per file), PostgreSQL a transaction in which `lockRow` reads
   * take row locks. Rolled back when `work` throws; nothing of it is then stored.
   */
  write<T>(work: (tx: Kysely<Database>) => Promise<T>): Promise<T>
  /** Whether reads in `write` must lock rows (`FOR UPDATE`, PostgreSQL); SQLite's write lock covers the file. */
  readonly rowLocks: boolean
  /** Releases the connection(s). */
  close(): Promise<void>
}
