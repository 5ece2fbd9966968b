/**
 * What the client keeps in the page's storage, and under which keys: an anonymous visitor's
 * server-issued credentials and the outbox. Named here once, because the script-tag loader reads
 * the same keys to tell a returning visitor without loading the client, and the widget keeps its
 * draft beside them.
 */
import type { Role } from '../../protocol'

/** The `storageKey` a client uses unless told otherwise. */
export const DEFAULT_STORAGE_KEY = 'obrolan'

export interface StorageKeys {
  credentials: string
  /** Each client keeps its unsent messages under this prefix plus its own id. */
  outbox: string
}

export function storageKeys(role: Role, storageKey = DEFAULT_STORAGE_KEY): StorageKeys {
  const prefix = `${storageKey}:${role}`
  return { credentials: `${prefix}:identity`, outbox: `${prefix}:outbox` }
}

/** The anonymous visitor's server-issued credentials, kept in storage. */
export interface VisitorCredentials {
  visitorId: string
  token: string
}

export function parseCredentials(value: unknown): VisitorCredentials | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { visitorId, token } = value as Record<string, unknown>
  return typeof visitorId === 'string' && typeof token === 'string' ? { visitorId, token } : undefined
}
