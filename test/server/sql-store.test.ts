import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSqlStore, type SqlStore } from '../../src/server/sql'
import { MIGRATIONS } from '../../src/server/sql/migrations'
import { usePostgresServer } from '../support/postgres-server'
import { describeStoreContract } from './store-contract'

let folder = ''
let files = 0
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'obrolan-sqlite-'))
})
afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

const urls = new WeakMap<object, string>()

describeStoreContract('SqlStore on SQLite', {
  async create() {
    const url = `sqlite:${join(folder, `store-${++files}.db`)}`
    const store = await createSqlStore(url)
    urls.set(store, url)
    return store
  },
  // Another store on the same file: in one process it shares the one writer connection.
  another: async (store) => createSqlStore(urls.get(store) as string),
})

const postgres = usePostgresServer()

describeStoreContract('SqlStore on PostgreSQL', {
  async create() {
    const url = await postgres.server.createDatabase()
    const store: SqlStore = await createSqlStore(url)
    urls.set(store, url)
    return store
  },
  // A second pool on the same database: what another server node has.
  another: async (store) => createSqlStore(urls.get(store) as string),
})

describe('SQL schema migrations', () => {
  it('migrates a new PostgreSQL database once when two nodes start on it at the same time', async () => {
    const url = await postgres.server.createDatabase()
    const stores = await Promise.all([createSqlStore(url), createSqlStore(url)])
    try {
      const { sql } = stores[0].engine.kysely
      const { rows } = await sql<{ name: string }>`select name from obrolan_migration order by name`.execute(stores[0].engine.db)
      expect(rows.map((row) => row.name)).toEqual(MIGRATIONS.map(([name]) => name))
      await stores[1].openVisitorConversation({ id: 'v', role: 'visitor' }, 'r', 1)
      expect(await stores[0].getConversation('r')).toMatchObject({ roomId: 'r' })
    } finally {
      await Promise.all(stores.map((store) => store.close()))
    }
  })

  it('refuses a PostgreSQL database whose schema is newer than the code, and leaves it as it is', async () => {
    const url = await postgres.server.createDatabase()
    const store = await createSqlStore(url)
    const { sql } = store.engine.kysely
    await sql`insert into obrolan_migration (name, timestamp) values ('0003-from-the-future', '2030-01-01')`.execute(store.engine.db)
    await store.close()
    await expect(createSqlStore(url)).rejects.toThrow(/has schema version 0003-from-the-future, newer than this version of obrolan knows/)
  })
})
