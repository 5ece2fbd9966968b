/**
 * REST API keys: made by owners (the inbox's Settings, or `obrolan keys add`), shown once, kept as
 * their SHA-256 only, scoped (`read`, `write`) and revocable. A key looks like `obk_` followed by
 * 43 random characters (256 bits), so a stolen copy of the database opens nothing and guessing
 * is hopeless.
 */
import { randomUUID } from 'node:crypto'
import { normalizeDisplayName } from '../../protocol'
import { AccountError } from '../accounts/accounts'
import { randomToken, sha256 } from '../accounts/tokens'
import { API_SCOPES, type AccountStore, type Agent, type ApiKey, type ApiScope } from '../accounts/types'

export const API_KEY_PREFIX = 'obk_'

/** How often a key's "last used" is written: once a minute is news enough, and no write per request. */
const LAST_USED_EVERY_MS = 60_000

export type ApiKeys = ReturnType<typeof createApiKeys>

export function createApiKeys({ store, now }: { store: AccountStore; now: () => number }) {
  return {
    /** A new key; `token` is the key itself, which nobody can see again. */
    async create(by: Agent | 'command-line', input: { name: unknown; scopes: unknown }): Promise<{ key: ApiKey; token: string }> {
      if (by !== 'command-line' && by.role !== 'owner') throw new AccountError('forbidden', 'Only owners make API keys')
      const name = typeof input.name === 'string' ? normalizeDisplayName(input.name, 'agent') : undefined
      if (!name) throw new AccountError('bad_request', 'name must say what the key is for, e.g. "CRM sync"')
      const scopes = checkScopes(input.scopes)
      const token = `${API_KEY_PREFIX}${randomToken()}`
      const key: ApiKey = { id: randomUUID(), name, prefix: token.slice(0, 12), scopes, ...(by !== 'command-line' && { createdBy: by.id }), createdAt: now() }
      await store.createApiKey({ ...key, hash: sha256(token) })
      return { key, token }
    },

    list: (): Promise<ApiKey[]> => store.listApiKeys(),

    async revoke(by: Agent | 'command-line', id: string): Promise<void> {
      if (by !== 'command-line' && by.role !== 'owner') throw new AccountError('forbidden', 'Only owners revoke API keys')
      if (!(await store.revokeApiKey(id, now()))) {
        const known = (await store.listApiKeys()).some((key) => key.id === id)
        throw new AccountError(known ? 'conflict' : 'not_found', known ? `API key ${id} is revoked already` : `No API key ${id}`)
      }
    },

    /** The live key a request carries, or undefined (unknown or revoked). */
    async authenticate(token: string): Promise<ApiKey | undefined> {
      if (!token.startsWith(API_KEY_PREFIX)) return undefined
      const stored = await store.findApiKey(sha256(token))
      if (!stored || stored.revokedAt !== undefined) return undefined
      const time = now()
      if (stored.lastUsedAt === undefined || time - stored.lastUsedAt >= LAST_USED_EVERY_MS) await store.setApiKeyLastUsed(stored.id, time)
      const { hash: _hash, ...key } = stored
      return key
    },
  }
}

/** `['read']`, `['read', 'write']` (or `"read,write"` from a command line); at least one, no others. */
export function checkScopes(value: unknown): ApiScope[] {
  const list = typeof value === 'string' ? value.split(',').map((scope) => scope.trim()) : value
  if (!Array.isArray(list) || list.length === 0 || !list.every((scope): scope is ApiScope => API_SCOPES.includes(scope as ApiScope))) {
    throw new AccountError('bad_request', 'scopes must be read, write, or both')
  }
  return API_SCOPES.filter((scope) => list.includes(scope))
}
