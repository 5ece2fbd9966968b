/**
 * Brings a database to the schema this code knows, at start: runs the migrations it has not run
 * yet (Kysely's migrator, which records them in `obrolan_migration` and holds a lock, so nodes
 * starting together run each migration once), and refuses a database that has run migrations this
 * code does not know: it was made by a newer version, and writing to it could corrupt it.
 */
import type { Kysely, Migration } from 'kysely'
import type { SqlEngine } from './engine'
import { MIGRATIONS } from './migrations'

export const MIGRATION_TABLE = 'obrolan_migration'
const MIGRATION_LOCK_TABLE = 'obrolan_migration_lock'

export async function migrate(engine: SqlEngine): Promise<{ applied: string[] }> {
  const db = engine.db as unknown as Kysely<Record<string, Record<string, unknown>>>
  await refuseNewerSchema(engine)
  const { sql } = engine.kysely
  const migrations: Record<string, Migration> = {}
  for (const [name, migration] of MIGRATIONS) {
    migrations[name] = {
      up: (tx) =>
        migration({
          engine: engine.kind,
          run: async (statement) => {
            await sql.raw(statement).execute(tx)
          },
        }),
    }
  }
  const migrator = new engine.kysely.Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  })
  const { error, results = [] } = await migrator.migrateToLatest()
  if (error) {
    const failed = results.find((result) => result.status === 'Error')
    throw new Error(`Migrating the database at ${engine.location} failed${failed ? ` at ${failed.migrationName}` : ''}: ${(error as Error).message}`, {
      cause: error,
    })
  }
  return { applied: results.filter((result) => result.status === 'Success').map((result) => result.migrationName) }
}

async function refuseNewerSchema(engine: SqlEngine): Promise<void> {
  const tables = await engine.db.introspection.getTables({ withInternalKyselyTables: true })
  if (!tables.some((table) => table.name === MIGRATION_TABLE)) return
  const { sql } = engine.kysely
  const { rows } = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)} order by name`.execute(engine.db)
  const known = new Set(MIGRATIONS.map(([name]) => name))
  const unknown = rows.map((row) => row.name).filter((name) => !known.has(name))
  if (unknown.length > 0) {
    throw new Error(
      `The database at ${engine.location} has schema version ${unknown[unknown.length - 1]}, newer than this version of obrolan knows ` +
        `(${MIGRATIONS[MIGRATIONS.length - 1]![0]}). Upgrade obrolan, or use a backup made for this version.`,
    )
  }
}
