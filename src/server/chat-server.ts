/**
 * The reference server: socket.io for the chat protocol plus a few REST routes, on one http
 * server that it either owns (listens and closes) or borrows (attaches and detaches). This file
 * wires the parts together; the options and what they default to are in `server-options.ts`.
 */
import type { Server as HttpServer } from 'node:http'
import { Server } from 'socket.io'
import { deferAfterIo } from './after-io'
import { createAnnouncements } from './announcements'
import { createBackgroundTasks } from './background-tasks'
import { clientAddress } from './client-address'
import { createAccounts } from './accounts/accounts'
import type { AccountStore } from './accounts/types'
import { AGENTS_CHANNEL, agentChannel, announceToAgents, broadcastPresence, roomChannel, sessionChannel } from './context'
import type { ChatIo, ServerContext } from './context'
import { createFollowUps, type FollowUps } from './email/follow-ups'
import { createSmtpMailer } from './email/mailer'
import { registerHandlers } from './handlers/dispatch'
import { saveContact } from './handlers/visitor-contact'
import { saveContext } from './handlers/visitor-context'
import { handshakeMiddleware } from './handshake'
import { createIntegrations } from './integrations/integrations'
import { authRoutes } from './http/auth-routes'
import { cannedReplyRoutes } from './http/canned-reply-routes'
import { createDiskFileStore } from './files/disk-file-store'
import type { FileStore } from './files/file-store'
import { createMemoryFileStore } from './files/memory-file-store'
import { fileRoutes } from './http/file-routes'
import { createRouter } from './http/router'
import { staticRoutes } from './http/static-routes'
import { statusRoutes } from './http/status-routes'
import { borrow, listeningAddress, listeningPort, own, urlHost, type Transport } from './http-transport'
import { createMemoryPresence } from './memory-presence'
import { createMemoryStore } from './memory-store'
import { createOriginPolicy, ownOriginsOf } from './origin-policy'
import { createKeyedRateLimiter } from './rate-limit'
import { createRedisScaleOut, type RedisScaleOut } from './redis-scale-out'
import { startRetention } from './retention'
import { createKeyedLock } from './room-lock'
import { resolveOptions, type ChatServerOptions, type ResolvedOptions } from './server-options'
import { AGENTS_PRESENCE_ROOM, createSiteAvailability, VISITORS_CHANNEL } from './site/availability'
import { reportStartup } from './startup-report'
import { createStatusUpdates } from './status-updates'
import type { SqlEngine } from './sql/engine'
import type { Store } from './store'
import { NO_EFFECTS } from './writes/effects'

export type { ChatServerOptions } from './server-options'

export interface ChatServer {
  /** The port the http server listens on (0 while a borrowed server is not listening). */
  readonly port: number
  /** `http://host:port`, with 127.0.0.1 when listening on all interfaces. */
  readonly url: string
  io: ChatIo
  store: Store
  /** With accounts and no account yet: the one-time link (24 h) that creates the owner. */
  readonly setupUrl?: string
  /** What the startup log warned about: settings that lose data or leave something open. */
  readonly warnings: readonly string[]
  /** Stops the heartbeat, disconnects every socket and frees the port (or detaches). Idempotent. */
  close(): Promise<void>
}

/** Sign-in attempts: per client address, and per account (whatever the address). */
const SIGN_IN_PER_ADDRESS = { perSecond: 1 / 6, burst: 10 }
const SIGN_IN_PER_EMAIL = { perSecond: 1 / 12, burst: 5 }

/** Time a client has, after its transport is open, to complete the chat handshake. */
const CONNECT_TIMEOUT_MS = 10_000

export async function createChatServer(options: ChatServerOptions = {}): Promise<ChatServer> {
  const resolved = resolveOptions(options)
  const database = options.database !== undefined ? await openDatabase(options.database, resolved) : undefined
  let scaleOut: RedisScaleOut | undefined
  try {
    scaleOut = options.redis !== undefined ? await createRedisScaleOut(options.redis, resolved.now, resolved.logger) : undefined
    return await start(options, resolved, scaleOut, database)
  } catch (error) {
    await scaleOut?.close()
    await database?.store.close()
    throw error
  }
}

interface OpenedDatabase {
  store: Store
  kind: string
  /** The engine under the store, for what integrations keep beside the conversations. */
  engine: SqlEngine
  /** Agent accounts kept in the same database. */
  accounts: AccountStore
}

/** The SQL store a `database` URL names; its packages are loaded only now. */
async function openDatabase(url: string, settings: ResolvedOptions): Promise<OpenedDatabase> {
  const { createSqlStore, parseDatabaseUrl, SqlAccountStore } = await import('./sql')
  const { engine } = parseDatabaseUrl(url)
  const store = await createSqlStore(url, { logger: settings.logger })
  return { store, kind: engine, engine: store.engine, accounts: new SqlAccountStore(store.engine) }
}

async function start(
  options: ChatServerOptions,
  settings: ResolvedOptions,
  scaleOut: RedisScaleOut | undefined,
  database: OpenedDatabase | undefined,
): Promise<ChatServer> {
  const { now, logger } = settings
  // With both a database and Redis, the database keeps conversations and Redis carries presence and fan-out.
  const store = options.store ?? database?.store ?? scaleOut?.store ?? createMemoryStore()
  const presence = scaleOut?.presence ?? createMemoryPresence(now)
  const accounts = accountStoreOf(options, settings, database)
  const files = await fileStoreOf(settings)
  let httpServer: HttpServer | undefined
  const origins = createOriginPolicy(settings.allowedOrigins, () => ownOriginsOf(settings.publicUrl, httpServer ? listeningPort(httpServer) : 0))
  const io: ChatIo = new Server({
    ...(scaleOut && { adapter: scaleOut.adapter as never }),
    serveClient: false,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxHttpBufferSize: settings.maxPayloadBytes,
    // WebSocket handshakes ignore CORS, so the origin is checked here for every transport.
    allowRequest: (req, callback) => {
      const allowed = origins.allows(req)
      if (!allowed) logger.info({ origin: req.headers.origin }, 'refused a connection from an origin that is not allowed')
      callback(allowed ? null : 'Origin not allowed', allowed)
    },
    cors: { origin: (origin, callback) => callback(null, origins.corsOrigin({ headers: { origin } }) !== undefined) },
  })

  const reportError = (error: unknown, context: Record<string, unknown>): void => {
    logger.error({ ...context, err: error }, 'unexpected error')
    try {
      options.onError?.(error, context)
    } catch (hookError) {
      logger.error({ err: hookError }, 'the onError hook threw')
    }
  }
  const background = createBackgroundTasks((error, label) => reportError(error, { task: label }))
  const site = createSiteAvailability({ io, presence, site: settings.site, now, background })
  let followUps: FollowUps | undefined
  if (settings.email) {
    followUps = createFollowUps({
      email: settings.email,
      mailer: await createSmtpMailer(settings.email),
      store,
      presence,
      now,
      logger,
      reportError,
      track: (work, label) => background.add(work, label),
    })
  }
  const ctx: ServerContext = {
    io,
    store,
    presence,
    roomLock: createKeyedLock(),
    announcements: createAnnouncements({
      announce: (roomId, alsoToRoom) => announceToAgents(ctx, roomId, alsoToRoom),
      defer: deferAfterIo,
      background,
    }),
    statusUpdates: createStatusUpdates({
      send: (roomId, watermarks) => io.to(roomChannel(roomId)).emit('message_status_update', { roomId, watermarks }),
      defer: deferAfterIo,
      background,
    }),
    effects: NO_EFFECTS,
    secret: settings.secret,
    identitySecret: settings.identitySecret,
    authenticateAgent: settings.authenticateAgent,
    accounts: accounts && createAccounts({ store: accounts, secret: settings.secret, now }),
    maxTextLength: settings.maxTextLength,
    files,
    uploads: settings.uploads && { maxBytes: settings.uploads.maxBytes, types: settings.uploads.types },
    reactions: settings.reactions,
    heartbeatMs: settings.heartbeatMs,
    pageSize: settings.pageSize,
    rateLimits: settings.rateLimits,
    newVisitors: createKeyedRateLimiter(settings.rateLimits.newVisitor, now),
    clientAddress: (remote, headers) => clientAddress(remote, headers, settings.proxyHops),
    now,
    newId: settings.newId,
    background,
    logger,
    reportError,
    siteSettings: settings.site,
    site,
    followUps,
  }
  // Sweeps of crashed nodes change rooms that none of our sockets touched; tell those rooms too.
  await presence.start((roomIds) => {
    for (const roomId of roomIds) ctx.background.add(broadcastPresence(ctx, roomId), `presence of swept room ${roomId}`)
  })

  io.use(handshakeMiddleware(ctx))
  io.on('connection', (socket) => {
    const { user, roomId, visitorToken, identityError, sessionHash, context, contact } = socket.data
    if (user.role === 'agent') {
      void socket.join([AGENTS_CHANNEL, agentChannel(user.id), ...(sessionHash ? [sessionChannel(sessionHash)] : [])])
      // Agents online for the site: every visitor hears when the first comes or the last goes.
      ctx.background.add(
        ctx.presence.join(AGENTS_PRESENCE_ROOM, socket.id, user).then((arrived) => arrived && ctx.site.agentsChanged()),
        `agent ${user.id} online`,
      )
    } else void socket.join(VISITORS_CHANNEL)
    registerHandlers(ctx, socket)
    // A visitor's page view: agents see where the visitor is now, and what the visitor told them.
    if (context) ctx.background.add(saveContext(ctx, socket, context), `context of ${socket.id}`)
    if (contact) ctx.background.add(saveContact(ctx, socket, contact), `contact of ${socket.id}`)
    const session = {
      user,
      ...(visitorToken !== undefined && { visitorToken }),
      ...(roomId !== undefined && { roomId }),
      heartbeatMs: ctx.heartbeatMs,
      maxTextLength: ctx.maxTextLength,
      ...(identityError !== undefined && { identityError }),
      ...(ctx.uploads && { uploads: { maxBytes: ctx.uploads.maxBytes, types: [...ctx.uploads.types] } }),
      ...(ctx.reactions.length > 0 && { reactions: [...ctx.reactions] }),
    }
    if (user.role === 'agent') socket.emit('session', session)
    else ctx.background.add(ctx.site.info().then((info) => void socket.emit('session', { ...session, site: info })), `session of ${socket.id}`)
  })

  const baseUrl = (): string => settings.publicUrl ?? server.url
  const integrations = createIntegrations(ctx, {
    accountStore: accounts,
    engine: database?.engine,
    origins,
    baseUrl,
    deliveries: settings.deliveries,
    random: settings.random,
    whatsapp: settings.whatsapp,
  })
  ctx.effects = integrations.effects
  const routes = createRouter(
    ctx,
    [
      ...statusRoutes(ctx, origins, now()),
      ...fileRoutes(ctx, { origins, uploadsByUser: createKeyedRateLimiter(settings.rateLimits.upload, now) }),
      ...(ctx.accounts
        ? authRoutes(ctx, {
            accounts: ctx.accounts,
            origins,
            signInByAddress: createKeyedRateLimiter(SIGN_IN_PER_ADDRESS, now),
            signInByEmail: createKeyedRateLimiter(SIGN_IN_PER_EMAIL, now),
            baseUrl,
            secureCookies: () => baseUrl().startsWith('https:'),
            disconnect: (channel) =>
              io.in('agentId' in channel ? agentChannel(channel.agentId) : sessionChannel(channel.sessionHash)).disconnectSockets(true),
          })
        : []),
      ...integrations.routes,
      ...(ctx.accounts && accounts ? cannedReplyRoutes(ctx, ctx.accounts, accounts, origins) : []),
      ...(options.files ? staticRoutes(options.files) : []),
    ],
    !options.httpServer,
  )
  let transport: Transport
  try {
    transport = options.httpServer
      ? borrow(options.httpServer, io, routes)
      : await own(io, (req, res) => void routes(req, res), options.port ?? 0, options.host)
  } catch (error) {
    site.stop()
    followUps?.close()
    await presence.close()
    throw error
  }
  httpServer = transport.server
  integrations.start()

  const retention =
    settings.retentionDays !== undefined ? startRetention({ store, files, days: settings.retentionDays, now, logger, reportError }) : undefined

  // Local: with an adapter, io.emit would send every node's heartbeat to every node's sockets.
  const heartbeat = setInterval(() => io.local.emit('heartbeat', { t: now() }), ctx.heartbeatMs)
  heartbeat.unref()

  const server: Omit<ChatServer, 'warnings'> = {
    get port() {
      return listeningPort(transport.server)
    },
    get url() {
      const host = options.httpServer ? listeningAddress(transport.server) : options.host
      return `http://${urlHost(host)}:${listeningPort(transport.server)}`
    },
    io,
    store,
    close: closeOnce(async () => {
      clearInterval(heartbeat)
      site.stop()
      followUps?.close()
      await retention?.stop()
      await integrations.close()
      await transport.close()
      // Disconnects above start presence broadcasts; they need the store and Redis, so they
      // finish first, then presence removes what is left of this node and announces it.
      await ctx.background.settled()
      await presence.close()
      await ctx.background.settled()
      if (!options.store) await store.close()
      await scaleOut?.close()
    }),
  }
  const setupUrl = ctx.accounts && (await ctx.accounts.setupNeeded()) ? `${baseUrl()}/inbox/setup#token=${(await ctx.accounts.createSetupToken()).token}` : undefined
  const storeKind = options.store ? 'custom' : (database?.kind ?? (scaleOut ? 'redis' : 'memory'))
  const fileStoreKind = !settings.uploads ? 'off' : settings.uploads.store ? 'custom' : settings.uploads.directory ? 'disk' : 'memory'
  const warnings = reportStartup(logger, settings, { url: server.url, storeKind, fileStoreKind, ...(setupUrl && { setupUrl }) })
  return Object.assign(server, { warnings }, setupUrl ? { setupUrl } : {})
}

/** Where files go: the owner's store, a folder, or (tests, embedding) memory. */
async function fileStoreOf(settings: ResolvedOptions): Promise<FileStore> {
  const uploads = settings.uploads
  if (uploads?.store) return uploads.store
  if (uploads?.directory) return createDiskFileStore(uploads.directory)
  return createMemoryFileStore()
}

/** `accounts: true` keeps accounts with the conversations: in the database when there is one. */
function accountStoreOf(options: ChatServerOptions, settings: ResolvedOptions, database: OpenedDatabase | undefined): AccountStore | undefined {
  return options.accounts === true && database ? database.accounts : settings.accountStore
}

function closeOnce(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined
  return () => (closing ??= close())
}
