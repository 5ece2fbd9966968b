/**
 * What `createChatServer` can be told, and what it makes of it: every option checked once, at
 * start, with a message that names the option; defaults that are safe (no agent gets in unless
 * the owner said how; several nodes must share one secret).
 */
import { randomBytes } from 'node:crypto'
import { dirname, join } from 'node:path'
import type { Server as HttpServer } from 'node:http'
import { DEFAULT_PAGE, DEFAULT_REACTIONS, DEFAULT_UPLOAD_TYPES, MAX_EMOJI_LENGTH, MAX_PAGE, MAX_TEXT_LENGTH, MAX_UPLOAD_BYTES, UPLOAD_TYPES } from '../protocol'
import type { Author } from '../protocol'
import { createMemoryAccountStore } from './accounts/memory-account-store'
import type { AccountStore } from './accounts/types'
import { checkTrustProxy, type TrustProxy } from './client-address'
import type { FileStore } from './files/file-store'
import { newMessageId } from './ids'
import { defaultLogger, type Logger } from './logger'
import { checkAllowedOrigins, type AllowedOrigins } from './origin-policy'
import { checkRateLimits, type RateLimits } from './rate-limit'
import { resolveEmail, type FollowUpEmailOptions, type ResolvedEmail } from './email/email-options'
import type { StaticFilesOptions } from './http/static-routes'
import { resolveDeliveries, type DeliveryOptions, type ResolvedDeliveries } from './integrations/delivery-options'
import { resolveSite, type ResolvedSite, type SiteOptions } from './site/site-options'
import type { ChatServerRedisOptions } from './redis-scale-out'
import { parseDatabaseUrl } from './sql/database-url'
import type { Store } from './store'
import { resolveWhatsApp, type ResolvedWhatsApp, type WhatsAppOptions } from './whatsapp/options'
import { safeEqual } from './visitor-token'

/** Files sent with messages (README "Attachments"). */
export interface UploadOptions {
  /** Largest file, in bytes. Default `MAX_UPLOAD_BYTES` (10 MB). */
  maxBytes?: number
  /** The types accepted, as MIME names from `UPLOAD_TYPES`. Default all of them (`DEFAULT_UPLOAD_TYPES`). */
  types?: readonly string[]
  /**
   * Keep files in this folder (created when missing). Default with a SQLite `database`: `uploads`
   * beside the database file (`obrolan start`: `<data folder>/uploads`).
   */
  directory?: string
  /** Keep files in a store of your own (a cloud store); not with `directory`. Default: in memory, which nothing survives. */
  store?: FileStore
}

export interface ChatServerOptions extends SiteOptions {
  /** Port to listen on; 0 picks a free one. Ignored with `httpServer`. Default 0. */
  port?: number
  /** Interface to listen on; all interfaces when absent. Ignored with `httpServer`. */
  host?: string
  /** Attach to this server instead of listening; `close()` then detaches and leaves it running. */
  httpServer?: HttpServer
  /**
   * The origin users reach this server at, e.g. `https://chat.example.com` (behind a proxy, the
   * proxy's). Pages on it may connect; without it only `http://localhost:<port>` and the loopback
   * addresses count as the server's own origin.
   */
  publicUrl?: string
  /**
   * Files to serve beside the chat: `{ inbox: 'dist/inbox', widget: 'dist' }` serves the agent
   * inbox at /inbox, the widget's script files at /widget/ and a small page at /. `obrolan start`
   * sets this; an embedding server usually serves its own files.
   */
  files?: StaticFilesOptions
  /**
   * Where conversations are kept: `'sqlite:./data/obrolan.db'` (the file and its folder are
   * created when missing) or `'postgres://user@host:5432/db'` (needs the optional package `pg`).
   * The schema is migrated at start. Default: in memory, which nothing survives (a warning says so).
   */
  database?: string
  /** Delete conversations closed for longer than this many days, checked at start and hourly. Default: keep them. */
  retentionDays?: number
  /** Default: a new in-memory store (or the Redis store with `redis`). A store passed in is not closed by `close()`. */
  store?: Store
  /**
   * Share conversations, presence and broadcasts with other server nodes through Redis:
   * `'redis://host:6379'` or `{ url | client, keyPrefix, nodeHeartbeatMs, nodeTtlMs }`. Needs the
   * optional packages `ioredis` and `@socket.io/redis-adapter`, and `secret`.
   */
  redis?: string | ChatServerRedisOptions
  /**
   * Signs visitor credentials; every node of one site must have the same. Default: random per
   * process (refused with `redis`), so every visitor becomes a stranger after a restart.
   */
  secret?: string
  /**
   * The secret your backend signs logged-in users' ids with (`signUserId`), so that visitors can
   * be identified (`identify`). Without it every identity is refused and visitors stay anonymous.
   */
  identitySecret?: string
  /**
   * Agent accounts (sign-in with email and password, the owner's setup link, invites; see README
   * "Agent accounts"): `true` keeps them with the server's data (in memory without a database), or
   * pass an `AccountStore`. Default off: agents get in only through `authenticateAgent`.
   */
  accounts?: boolean | AccountStore
  /** Turns an agent's handshake token into its identity, or undefined to refuse it. */
  authenticateAgent?: (token: string) => Author | undefined | Promise<Author | undefined>
  /**
   * For development and tests: one shared token that lets an agent in as `{ id: 'agent', name:
   * 'Agent' }`. Without it and without `authenticateAgent`, no agent can connect.
   */
  agentToken?: string
  /** Longest message text accepted. Default `MAX_TEXT_LENGTH`. */
  maxTextLength?: number
  /**
   * Files sent with messages: where they are kept, how large and of which types. Default on, in
   * memory (a warning says so), 10 MB, every type in `UPLOAD_TYPES`. `false` turns uploads off.
   */
  uploads?: UploadOptions | false
  /**
   * The emoji people may react to messages with, in the order a picker shows them (at most 20).
   * Default `DEFAULT_REACTIONS` (👍 ❤️ 😂 😮 😢 🙏); `false` turns reactions off.
   */
  reactions?: readonly string[] | false
  /** Period of the `heartbeat` broadcast. Default 25000. */
  heartbeatMs?: number
  /** History page size when a request names no limit. Default `DEFAULT_PAGE`. */
  pageSize?: number
  /**
   * Web pages (origins) allowed to connect and to read the REST routes, e.g.
   * `['https://shop.example.com']`. The server's own origin (`publicUrl`) is always allowed, and so
   * are clients that send no `Origin` (non-browsers). Default: none besides those. `'*'` allows all.
   */
  allowedOrigins?: AllowedOrigins
  /** Largest socket.io packet accepted, in bytes; bigger ones close the connection. Default 64 KiB. */
  maxPayloadBytes?: number
  /**
   * Request rates (`message`, `typing`, `room`, `receipt`: per connection; `newVisitor`: new
   * anonymous visitors per client address). Defaults in `DEFAULT_RATE_LIMITS`.
   */
  rateLimits?: Partial<RateLimits>
  /** Behind a reverse proxy: `true` (one) or the number of proxies, to read client addresses from X-Forwarded-For. */
  trustProxy?: TrustProxy
  /** Where the server logs (pino's interface). Default: pino on stdout at `LOG_LEVEL` (default `info`). */
  logger?: Logger
  /** Called with every unexpected error (after it is logged) and what was being done. */
  onError?: (error: unknown, context: Record<string, unknown>) => void
  /**
   * How webhook deliveries and WhatsApp replies are sent and retried (README "Webhooks"):
   * `{ timeoutMs, firstRetryMs, maxRetryMs, retryForMs, pollMs, concurrency }`. They need `database`.
   */
  deliveries?: DeliveryOptions
  /**
   * WhatsApp conversations in the same inbox (README "WhatsApp"), through the WhatsApp Business
   * Cloud API: `{ phoneNumberId, accessToken, appSecret, verifyToken, apiUrl? }`. Needs `database`.
   */
  whatsapp?: WhatsAppOptions
  /** Clock for timestamps. Default `Date.now`. */
  now?: () => number
  /** Randomness for retry jitter. Default `Math.random`. */
  random?: () => number
  /**
   * E-mail an agent's reply to a visitor who left without reading it (SMTP, with nodemailer):
   * `{ smtp, from, replyTo?, afterMinutes?, siteName?, siteUrl? }`. Default: no e-mail.
   */
  email?: FollowUpEmailOptions
}

export interface ResolvedOptions {
  now: () => number
  logger: Logger
  secret: string
  /** True when the secret was made up here and dies with the process. */
  secretIsRandom: boolean
  identitySecret: string | undefined
  authenticateAgent: ((token: string) => Author | undefined | Promise<Author | undefined>) | undefined
  /** The account store when accounts are on. */
  accountStore: AccountStore | undefined
  /** How agents get in, for the startup log. */
  agentAccess: { accounts: boolean; custom: 'authenticateAgent' | 'agentToken' | 'none' }
  publicUrl: string | undefined
  allowedOrigins: AllowedOrigins
  maxTextLength: number
  reactions: readonly string[]
  /** Undefined when uploads are off. */
  uploads: { maxBytes: number; types: string[]; directory?: string; store?: FileStore } | undefined
  heartbeatMs: number
  pageSize: number
  maxPayloadBytes: number
  rateLimits: RateLimits
  proxyHops: number
  newId: () => string
  retentionDays: number | undefined
  deliveries: ResolvedDeliveries
  random: () => number
  whatsapp: ResolvedWhatsApp | undefined
  /** Business hours, away settings and the pre-chat form. */
  site: ResolvedSite
  email: ResolvedEmail | undefined
}

const SHARED_AGENT: Author = { id: 'agent', role: 'agent', name: 'Agent' }

export function resolveOptions(options: ChatServerOptions): ResolvedOptions {
  if (options.database !== undefined && options.store !== undefined) {
    throw new TypeError('createChatServer: give `database` or `store`, not both')
  }
  if (options.whatsapp !== undefined && options.database === undefined) {
    throw new Error('createChatServer: `whatsapp` needs `database`: replies wait in its outbox until WhatsApp has them, so a restart loses none')
  }
  const { retentionDays } = options
  if (retentionDays !== undefined && !(typeof retentionDays === 'number' && retentionDays > 0 && Number.isFinite(retentionDays))) {
    throw new RangeError(`retentionDays must be a positive number of days, got ${String(retentionDays)}`)
  }
  if (options.redis !== undefined && !options.secret) {
    throw new Error(
      'createChatServer: `redis` needs `secret`. Every node of a site must sign visitor credentials with the same secret, or visitors become strangers whenever they reach another node.',
    )
  }
  if (options.secret !== undefined && (typeof options.secret !== 'string' || options.secret === '')) {
    throw new TypeError('secret must be a non-empty string (e.g. 32 random bytes, base64)')
  }
  const { agentToken } = options
  if (agentToken !== undefined && (typeof agentToken !== 'string' || agentToken === '')) throw new TypeError('agentToken must be a non-empty string')
  const authenticateAgent =
    options.authenticateAgent ?? (agentToken !== undefined ? (token: string) => (safeEqual(token, agentToken) ? { ...SHARED_AGENT } : undefined) : undefined)
  const publicUrl = checkPublicUrl(options.publicUrl)
  return {
    now: options.now ?? Date.now,
    logger: options.logger ?? defaultLogger(),
    secret: options.secret ?? randomBytes(32).toString('base64url'),
    secretIsRandom: options.secret === undefined,
    identitySecret: options.identitySecret,
    authenticateAgent,
    accountStore: options.accounts === true ? createMemoryAccountStore() : options.accounts || undefined,
    agentAccess: {
      accounts: Boolean(options.accounts),
      custom: options.authenticateAgent ? 'authenticateAgent' : agentToken !== undefined ? 'agentToken' : 'none',
    },
    publicUrl,
    allowedOrigins: checkAllowedOrigins(options.allowedOrigins ?? []),
    maxTextLength: positiveInteger('maxTextLength', options.maxTextLength ?? MAX_TEXT_LENGTH),
    reactions: checkReactions(options.reactions),
    uploads: checkUploads(options.uploads, options.database),
    heartbeatMs: positiveInteger('heartbeatMs', options.heartbeatMs ?? 25_000),
    pageSize: Math.min(MAX_PAGE, positiveInteger('pageSize', options.pageSize ?? DEFAULT_PAGE)),
    maxPayloadBytes: positiveInteger('maxPayloadBytes', options.maxPayloadBytes ?? 64 * 1024),
    rateLimits: checkRateLimits(options.rateLimits),
    proxyHops: checkTrustProxy(options.trustProxy ?? false),
    newId: newMessageId,
    retentionDays,
    deliveries: resolveDeliveries(options.deliveries),
    random: options.random ?? Math.random,
    whatsapp: options.whatsapp && resolveWhatsApp(options.whatsapp),
    site: resolveSite(options),
    email: options.email === undefined ? undefined : resolveEmail(options.email, publicUrl),
  }
}

function checkPublicUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TypeError(`publicUrl must be an http(s) URL such as https://chat.example.com; got "${value}"`)
  }
  return url.origin
}

/** With a SQLite database and no folder named, files go beside the database file, in `uploads`. */
function defaultDirectory(database: string | undefined): string | undefined {
  if (database === undefined || !database.startsWith('sqlite:')) return undefined
  const target = parseDatabaseUrl(database)
  return target.engine === 'sqlite' ? join(dirname(target.path), 'uploads') : undefined
}

function checkUploads(value: UploadOptions | false | undefined, database: string | undefined): ResolvedOptions['uploads'] {
  if (value === false) return undefined
  if (value !== undefined && (typeof value !== 'object' || value === null)) throw new TypeError('uploads must be false or { maxBytes?, types?, directory?, store? }')
  const { maxBytes = MAX_UPLOAD_BYTES, types = DEFAULT_UPLOAD_TYPES, store } = value ?? {}
  const directory = value?.directory ?? (store === undefined ? defaultDirectory(database) : undefined)
  if (!Array.isArray(types) || types.length === 0 || types.some((type) => typeof type !== 'string' || !(type in UPLOAD_TYPES))) {
    throw new TypeError(`uploads.types must list some of: ${Object.keys(UPLOAD_TYPES).join(', ')}; got ${JSON.stringify(types)}`)
  }
  if (directory !== undefined && (typeof directory !== 'string' || directory === '')) throw new TypeError('uploads.directory must be a folder path')
  if (directory !== undefined && store !== undefined) throw new TypeError('uploads: give `directory` or `store`, not both')
  return {
    maxBytes: positiveInteger('uploads.maxBytes', maxBytes),
    types: [...new Set(types)],
    ...(directory !== undefined && { directory }),
    ...(store !== undefined && { store }),
  }
}

/** Most emoji a server may offer: a picker shows them all at once. */
const MAX_REACTIONS = 20

function checkReactions(value: readonly string[] | false | undefined): readonly string[] {
  if (value === false) return []
  if (value === undefined) return DEFAULT_REACTIONS
  const ok =
    Array.isArray(value) &&
    value.length > 0 &&
    value.length <= MAX_REACTIONS &&
    new Set(value).size === value.length &&
    value.every((emoji) => typeof emoji === 'string' && emoji.trim() === emoji && emoji.length > 0 && emoji.length <= MAX_EMOJI_LENGTH)
  if (!ok) throw new TypeError(`reactions must be false or 1 to ${MAX_REACTIONS} different emoji (each at most ${MAX_EMOJI_LENGTH} characters, no spaces); got ${JSON.stringify(value)}`)
  return Object.freeze([...value])
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`)
  return value
}
