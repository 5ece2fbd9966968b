import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { createSqlStore, type SqlStore } from '../../src/server/sql'
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
