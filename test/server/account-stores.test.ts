import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import type { AccountStore } from '../../src/server'
import { createMemoryAccountStore } from '../../src/server/accounts/memory-account-store'
import { openAccountStore } from '../../src/server/sql/accounts-entry'
import { usePostgresServer } from '../support/postgres-server'
import { describeAccountStoreContract } from './account-store-contract'

let folder = ''
let files = 0
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'obrolan-accounts-'))
})
afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

const urls = new WeakMap<AccountStore, string>()
async function open(url: string) {
  const handle = await openAccountStore(url)
  urls.set(handle.store, url)
  return handle
}

describeAccountStoreContract('memory', {
  create: async () => ({ store: createMemoryAccountStore(), close: async () => {} }),
  // One process has one memory store: a second handle can only be the same object.
  another: async (store) => ({ store, close: async () => {} }),
})

describeAccountStoreContract('SQLite', {
  create: () => open(`sqlite:${join(folder, `accounts-${++files}.db`)}`),
  another: (store) => open(urls.get(store)!),
})

const postgres = usePostgresServer()
describeAccountStoreContract('PostgreSQL', {
  create: async () => open(await postgres.server.createDatabase()),
  another: (store) => open(urls.get(store)!),
})
