/**
 * The client's options, checked once with a clear error for each mistake, and completed with
 * their defaults.
 */
import type { Role } from '../protocol'
import type { ChatClientOptions } from './client-types'
import { DEFAULT_BACKOFF, type BackoffOptions } from './connection/backoff'
import { DEFAULT_STORAGE_KEY, storageKeys, type StorageKeys } from './session/credentials'
import { systemClock, type Clock } from './util/clock'
import { browserEnvironment, type Environment } from './util/environment'
import { defaultStorage, type StorageLike } from './util/storage'

export interface ResolvedOptions extends ChatClientOptions {
  role: Role
  storage: StorageLike
  storageKey: string
  keys: StorageKeys
  clock: Clock
  environment: Environment
  backoff: BackoffOptions
  ackTimeoutMs: number
  heartbeatGraceMs: number
  minUptimeMs: number
  typingIntervalMs: number
  typingTimeoutMs: number
  pageSize: number
}

export function resolveOptions(options: ChatClientOptions): ResolvedOptions {
  if (!options || typeof options.url !== 'string' || options.url === '') {
    throw new TypeError('createChatClient: `url` is required, e.g. { url: "https://chat.example.com" }')
  }
  const role: Role = options.role ?? 'visitor'
  if (role !== 'visitor' && role !== 'agent') throw new TypeError(`createChatClient: unknown role "${String(role)}"`)
  if (role === 'agent' && !options.token) throw new TypeError('createChatClient: agents need a `token`')
  const storageKey = options.storageKey ?? DEFAULT_STORAGE_KEY
  return {
    ...options,
    role,
    storage: options.storage ?? defaultStorage(),
    storageKey,
    keys: storageKeys(role, storageKey),
    clock: options.clock ?? systemClock,
    environment: options.environment ?? browserEnvironment(),
    backoff: options.backoff ?? DEFAULT_BACKOFF,
    ackTimeoutMs: options.ackTimeoutMs ?? 10_000,
    heartbeatGraceMs: options.heartbeatGraceMs ?? 10_000,
    minUptimeMs: options.minUptimeMs ?? 5000,
    typingIntervalMs: options.typingIntervalMs ?? 2000,
    typingTimeoutMs: options.typingTimeoutMs ?? 5000,
    pageSize: options.pageSize ?? 50,
  }
}
