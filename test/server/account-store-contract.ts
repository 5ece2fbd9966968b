/**
 * What every AccountStore must do (memory, SQLite, PostgreSQL), as one suite. `another` opens a
 * second handle on the same data, as a second node or the command line sees it.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { AccountStore, StoredAgent } from '../../src/server'

export interface AccountStoreFactory {
  create(): Promise<{ store: AccountStore; close(): Promise<void> }>
  another(store: AccountStore): Promise<{ store: AccountStore; close(): Promise<void> }>
}

const agent = (id: string, email: string, createdAt = 1): StoredAgent => ({ id, email, name: `Agent ${id}`, role: 'agent', createdAt, passwordHash: `scrypt$1$1$1$salt$${id}` })

export function describeAccountStoreContract(name: string, factory: AccountStoreFactory): void {
  const opened: (() => Promise<void>)[] = []
  afterEach(async () => {
    while (opened.length) await opened.pop()!()
  })
  const create = async () => {
    const handle = await factory.create()
    opened.push(handle.close)
    return handle.store
  }
  const another = async (store: AccountStore) => {
    const handle = await factory.another(store)
    opened.push(handle.close)
    return handle.store
  }

  describe(`${name} (account store contract)`, () => {
    it('keeps agents, finds them by a case-insensitive email and refuses a second one with the same email', async () => {
      const store = await create()
      expect(await store.countAgents()).toBe(0)
      await store.createAgent({ ...agent('a1', 'Dewi@Toko.example', 5), role: 'owner' })
      await store.createAgent(agent('a2', 'ayu@toko.example', 6))
      expect(await store.countAgents()).toBe(2)
      expect(await store.findAgentByEmail(' DEWI@toko.example ')).toMatchObject({ id: 'a1', email: 'dewi@toko.example', role: 'owner' })
      await expect(store.createAgent(agent('a3', 'DEWI@toko.example'))).rejects.toThrow(/exists already/)
      expect(await store.listAgents()).toEqual([
        { id: 'a1', email: 'dewi@toko.example', name: 'Agent a1', role: 'owner', createdAt: 5 },
        { id: 'a2', email: 'ayu@toko.example', name: 'Agent a2', role: 'agent', createdAt: 6 },
      ])
      expect(await store.getAgent('a2')).toMatchObject({ passwordHash: 'scrypt$1$1$1$salt$a2' })
      expect(await store.getAgent('nobody')).toBeUndefined()
    })

    it('creates one agent of two racing for one email, on two handles', async () => {
      const store = await create()
      const twin = await another(store)
      const results = await Promise.allSettled([store.createAgent(agent('r1', 'race@toko.example')), twin.createAgent(agent('r2', 'race@toko.example'))])
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
      expect((refused.reason as Error).name).toBe('DuplicateEmailError')
      expect(await store.countAgents()).toBe(1)
    })

    it('keeps sessions until they are deleted, one by one or all of an agent, and with the agent', async () => {
      const store = await create()
      await store.createAgent(agent('a1', 'a1@toko.example'))
      await store.createAgent(agent('a2', 'a2@toko.example'))
      for (const [hash, agentId] of [['s1', 'a1'], ['s2', 'a1'], ['s3', 'a2']] as const) await store.createSession({ idHash: hash, agentId, createdAt: 1, expiresAt: 99 })
      expect(await store.getSession('s1')).toEqual({ idHash: 's1', agentId: 'a1', createdAt: 1, expiresAt: 99 })
      await store.deleteSession('s1')
      expect(await store.getSession('s1')).toBeUndefined()
      expect((await store.deleteSessionsOf('a1')).sort()).toEqual(['s2'])
      expect(await store.getSession('s2')).toBeUndefined()
      expect(await store.removeAgent('a2')).toBe(true)
      expect(await store.getSession('s3')).toBeUndefined()
      expect(await store.removeAgent('a2')).toBe(false)
      expect(await store.setPasswordHash('a1', 'scrypt$new')).toBe(true)
      expect((await store.getAgent('a1'))?.passwordHash).toBe('scrypt$new')
      expect(await store.setPasswordHash('gone', 'x')).toBe(false)
    })

    it('keeps canned replies by name, replacing one saved again under its name', async () => {
      const store = await create()
      const twin = await another(store)
      expect(await store.listCannedReplies()).toEqual([])
      const thanks = await store.saveCannedReply({ id: 'r1', name: 'thanks', text: 'Terima kasih!', updatedAt: 1 })
      await store.saveCannedReply({ id: 'r2', name: 'hours', text: 'We are open 9–17 WIB.', updatedAt: 2 })
      expect(thanks).toEqual({ id: 'r1', name: 'thanks', text: 'Terima kasih!', updatedAt: 1 })
      const again = await twin.saveCannedReply({ id: 'r3', name: 'thanks', text: 'Terima kasih banyak!', updatedAt: 3 })
      expect(again).toEqual({ id: 'r1', name: 'thanks', text: 'Terima kasih banyak!', updatedAt: 3 })
      expect((await store.listCannedReplies()).map((r) => [r.name, r.text])).toEqual([
        ['hours', 'We are open 9–17 WIB.'],
        ['thanks', 'Terima kasih banyak!'],
      ])
      expect(await store.deleteCannedReply('r1')).toBe(true)
      expect(await store.deleteCannedReply('r1')).toBe(false)
      expect((await twin.listCannedReplies()).map((r) => r.name)).toEqual(['hours'])
    })

    it('gives a one-time token once, of its kind, before it expires, even to two racing handles', async () => {
      const store = await create()
      const twin = await another(store)
      await store.createOneTimeToken({ hash: 'h1', kind: 'invite', email: 'new@toko.example', name: 'New', createdBy: 'a1', expiresAt: 100 })
      await store.createOneTimeToken({ hash: 'h2', kind: 'setup', expiresAt: 100 })
      expect(await store.peekOneTimeToken('h1', 'setup', 50)).toBeUndefined()
      expect(await store.peekOneTimeToken('h1', 'invite', 100)).toBeUndefined()
      expect(await store.peekOneTimeToken('h1', 'invite', 50)).toEqual({ hash: 'h1', kind: 'invite', email: 'new@toko.example', name: 'New', createdBy: 'a1', expiresAt: 100 })
      const taken = await Promise.all([store.consumeOneTimeToken('h1', 'invite', 50), twin.consumeOneTimeToken('h1', 'invite', 50)])
      expect(taken.filter(Boolean)).toHaveLength(1)
      expect(await store.consumeOneTimeToken('h1', 'invite', 50)).toBeUndefined()
      expect(await store.consumeOneTimeToken('h2', 'setup', 100)).toBeUndefined()
      expect(await store.consumeOneTimeToken('h2', 'setup', 99)).toEqual({ hash: 'h2', kind: 'setup', expiresAt: 100 })
    })

    it('keeps API keys by hash, lists them without it, and revokes each once, seen from another handle', async () => {
      const store = await create()
      const twin = await another(store)
      await store.createApiKey({ id: 'k1', name: 'CRM', prefix: 'obk_abcdefgh', hash: 'h1', scopes: ['read', 'write'], createdBy: 'a1', createdAt: 10 })
      await store.createApiKey({ id: 'k2', name: 'Status page', prefix: 'obk_ijklmnop', hash: 'h2', scopes: ['read'], createdAt: 11 })
      expect(await twin.findApiKey('h1')).toEqual({ id: 'k1', name: 'CRM', prefix: 'obk_abcdefgh', hash: 'h1', scopes: ['read', 'write'], createdBy: 'a1', createdAt: 10 })
      expect(await twin.findApiKey('nope')).toBeUndefined()
      await twin.setApiKeyLastUsed('k2', 50)
      expect(await store.revokeApiKey('k1', 60)).toBe(true)
      expect(await twin.revokeApiKey('k1', 61)).toBe(false)
      expect(await store.revokeApiKey('k9', 61)).toBe(false)
      expect(await store.listApiKeys()).toEqual([
        { id: 'k1', name: 'CRM', prefix: 'obk_abcdefgh', scopes: ['read', 'write'], createdBy: 'a1', createdAt: 10, revokedAt: 60 },
        { id: 'k2', name: 'Status page', prefix: 'obk_ijklmnop', scopes: ['read'], createdAt: 11, lastUsedAt: 50 },
      ])
      expect((await twin.findApiKey('h1'))?.revokedAt).toBe(60)
    })
  })
}
