/**
 * The reference server: socket.io for the chat protocol plus a few REST routes, on one http
 * server that it either owns (listens and closes) or borrows (attaches and detaches).
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http'
import type { AddressInfo, Socket as NetSocket } from 'node:net'
import { Server } from 'socket.io'
import { DEFAULT_PAGE, MAX_PAGE, MAX_TEXT_LENGTH } from '../protocol'
import type { Author } from '../protocol'
import { deferAfterIo } from './after-io'
import { createAnnouncements } from './announcements'
import { createBackgroundTasks } from './background-tasks'
import { AGENTS_CHANNEL, announceToAgents, broadcastPresence, roomChannel } from './context'
import type { ChatIo, ServerContext } from './context'
import { handshakeMiddleware } from './handshake'
import { registerHandlers } from './handlers'
import { createHttpRoutes } from './http-routes'
import type { HttpRoutes } from './http-routes'
import { createMemoryPresence } from './memory-presence'
import { createMemoryStore } from './memory-store'
import { checkAllowedOrigins, isOriginAllowed, type AllowedOrigins } from './origin-policy'
import { checkRateLimits, type RateLimits } from './rate-limit'
import { createRedisScaleOut, type ChatServerRedisOptions, type RedisScaleOut } from './redis-scale-out'
import { createKeyedLock } from './room-lock'
import { createStatusUpdates } from './status-updates'
import type { Store } from './store'
import { safeEqual } from './visitor-token'

export interface ChatServerOptions {
  /** Port to listen on; 0 picks a free one. Ignored with `httpServer`. Default 0. */
  port?: number
  /** Interface to listen on; all interfaces when absent. Ignored with `httpServer`. */
  host?: string
  /** Attach to this server instead of listening; `close()` then detaches and leaves it running. */
  httpServer?: HttpServer
  /** Default: a new in-memory store (or the Redis store with `redis`). A store passed in is not closed by `close()`. */
  store?: Store
  /**
   * Share conversations, presence and broadcasts with other server nodes through Redis:
   * `'redis://host:6379'` or `{ url | client, keyPrefix, nodeHeartbeatMs, nodeTtlMs }`. Needs the
   * optional packages `ioredis` and `@socket.io/redis-adapter`. Every node must share `secret`
   * (visitor tokens) and the agent authentication. Default: none, everything in this process.
   */
  redis?: string | ChatServerRedisOptions
  /**
   * Signs visitor tokens. Default: random per process, so every visitor becomes a stranger after a
   * restart; set it in production.
   */
  secret?: string
  /**
   * The secret your backend signs logged-in users' ids with (`signUserId`), so that visitors can
   * be identified (`identify`). Without it every identity is refused and visitors stay anonymous.
   */
  identitySecret?: string
  /**
   * Turns an agent's handshake token into its identity, or undefined to refuse it. The default
   * accepts `agentToken` as `{ id: 'agent', role: 'agent', name: 'Agent' }`, which is for demos only.
   */
  authenticateAgent?: (token: string) => Author | undefined | Promise<Author | undefined>
  /** The token the default `authenticateAgent` accepts. Default `'demo-agent'`. */
  agentToken?: string
  /** Longest message text accepted. Default `MAX_TEXT_LENGTH`. */
  maxTextLength?: number
  /** Period of the `heartbeat` broadcast. Default 25000. */
  heartbeatMs?: number
  /** History page size when a request names no limit. Default `DEFAULT_PAGE`. */
  pageSize?: number
  /**
   * Web pages (origins) allowed to connect and to read the REST routes, e.g.
   * `['https://shop.example.com']`. The server's own origin is always allowed, and so are clients
   * that send no `Origin` (non-browsers). Default: none besides those. `'*'` allows every origin.
   */
  allowedOrigins?: AllowedOrigins
  /** Largest socket.io packet accepted, in bytes; bigger ones close the connection. Default 64 KiB. */
  maxPayloadBytes?: number
  /**
   * Requests per connection, per kind (`message`: send/edit/delete, `typing`, `room`: join,
   * leave, history, lists, status, `receipt`: delivered/read). Over the limit a request is refused
   * with `rate_limited` and `retryAfterMs`. Defaults in `DEFAULT_RATE_LIMITS`.
   */
  rateLimits?: Partial<RateLimits>
  /** Clock for timestamps. Default `Date.now`. */
  now?: () => number
}

export interface ChatServer {
  /** The port the http server listens on (0 while a borrowed server is not listening). */
  readonly port: number
  /** `http://host:port`, with 127.0.0.1 when listening on all interfaces. */
  readonly url: string
  io: ChatIo
  store: Store
  /** Stops the heartbeat, disconnects every socket and frees the port (or detaches). Idempotent. */
  close(): Promise<void>
}

const DEFAULT_AGENT: Author = { id: 'agent', role: 'agent', name: 'Agent' }

export async function createChatServer(options: ChatServerOptions = {}): Promise<ChatServer> {
  const now = options.now ?? Date.now
  const allowedOrigins = checkAllowedOrigins(options.allowedOrigins ?? [])
  const scaleOut = options.redis !== undefined ? await createRedisScaleOut(options.redis, now) : undefined
  try {
    return await start(options, now, allowedOrigins, scaleOut)
  } catch (error) {
    await scaleOut?.close()
    throw error
  }
}

async function start(
  options: ChatServerOptions,
  now: () => number,
  allowedOrigins: AllowedOrigins,
  scaleOut: RedisScaleOut | undefined,
): Promise<ChatServer> {
  const store = options.store ?? scaleOut?.store ?? createMemoryStore()
  const presence = scaleOut?.presence ?? createMemoryPresence(now)
  const agentToken = options.agentToken ?? 'demo-agent'
  const io: ChatIo = new Server({
    ...(scaleOut && { adapter: scaleOut.adapter as never }),
    serveClient: false,
    maxHttpBufferSize: positiveInteger('maxPayloadBytes', options.maxPayloadBytes ?? 64 * 1024),
    // WebSocket handshakes ignore CORS, so the origin is checked here for every transport.
    allowRequest: (req, callback) => {
      const allowed = isOriginAllowed(allowedOrigins, req)
      callback(allowed ? null : 'Origin not allowed', allowed)
    },
    cors: {
      origin: (origin, callback) => callback(null, origin === undefined || allowedOrigins === '*' || allowedOrigins.includes(origin)),
    },
  })

  const background = createBackgroundTasks()
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
    secret: options.secret ?? randomBytes(32).toString('base64url'),
    identitySecret: options.identitySecret,
    authenticateAgent:
      options.authenticateAgent ?? ((token) => (safeEqual(token, agentToken) ? { ...DEFAULT_AGENT } : undefined)),
    maxTextLength: positiveInteger('maxTextLength', options.maxTextLength ?? MAX_TEXT_LENGTH),
    heartbeatMs: positiveInteger('heartbeatMs', options.heartbeatMs ?? 25_000),
    pageSize: Math.min(MAX_PAGE, positiveInteger('pageSize', options.pageSize ?? DEFAULT_PAGE)),
    rateLimits: checkRateLimits(options.rateLimits),
    now,
    newId: randomUUID,
    background,
  }
  // Sweeps of crashed nodes change rooms that none of our sockets touched; tell those rooms too.
  await presence.start((roomIds) => {
    for (const roomId of roomIds) ctx.background.add(broadcastPresence(ctx, roomId))
  })

  io.use(handshakeMiddleware(ctx))
  io.on('connection', (socket) => {
    const { user, roomId, visitorToken, identityError } = socket.data
    if (user.role === 'agent') void socket.join(AGENTS_CHANNEL)
    registerHandlers(ctx, socket)
    socket.emit('session', {
      user,
      ...(visitorToken !== undefined && { visitorToken }),
      ...(roomId !== undefined && { roomId }),
      heartbeatMs: ctx.heartbeatMs,
      maxTextLength: ctx.maxTextLength,
      ...(identityError !== undefined && { identityError }),
    })
  })

  const routes = createHttpRoutes(ctx, { allowedOrigins, startedAt: now(), answerAll: !options.httpServer })
  let transport: Transport
  try {
    transport = options.httpServer
      ? borrow(options.httpServer, io, routes)
      : await own(io, (req, res) => void routes(req, res), options.port ?? 0, options.host)
  } catch (error) {
    await presence.close()
    throw error
  }

  // Local: with an adapter, io.emit would send every node's heartbeat to every node's sockets.
  const heartbeat = setInterval(() => io.local.emit('heartbeat', { t: now() }), ctx.heartbeatMs)
  heartbeat.unref()

  let closing: Promise<void> | undefined
  return {
    get port() {
      return listeningPort(transport.server)
    },
    get url() {
      const host = options.httpServer ? listeningAddress(transport.server) : options.host
      return `http://${urlHost(host)}:${listeningPort(transport.server)}`
    },
    io,
    store,
    close() {
      closing ??= (async () => {
        clearInterval(heartbeat)
        await transport.close()
        // Disconnects above start presence broadcasts; they need the store and Redis, so they
        // finish first, then presence removes what is left of this node and announces it.
        await ctx.background.settled()
        await presence.close()
        await ctx.background.settled()
        if (!options.store) await store.close()
        await scaleOut?.close()
      })()
      return closing
    },
  }
}

interface Transport {
  server: HttpServer
  close(): Promise<void>
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void

/** Our own http server: listens now, and on close lets go of the port and every connection. */
async function own(io: ChatIo, routes: RequestListener, port: number, host: string | undefined): Promise<Transport> {
  const server = createServer(routes)
  // Upgraded (websocket) connections are invisible to closeAllConnections, so track them all.
  const connections = new Set<NetSocket>()
  server.on('connection', (socket) => {
    connections.add(socket)
    socket.once('close', () => connections.delete(socket))
  })
  io.attach(server)

  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error): void => {
      server.off('listening', succeed)
      reject(error)
    }
    const succeed = (): void => {
      server.off('error', fail)
      resolve()
    }
    server.once('error', fail)
    server.once('listening', succeed)
    server.listen(port, host)
  }).catch(async (error: unknown) => {
    await io.close()
    throw error
  })

  return {
    server,
    async close() {
      // Stop accepting first; the callback fires once the last connection is gone.
      const released = new Promise<void>((resolve) => server.close(() => resolve()))
      // io.close() drops every socket now and then waits for the same 'close' as above, so the
      // connections must be cut without awaiting it, or a client slow to answer a websocket close
      // frame (or a parked long-poll) would hold the port.
      const ioClosed = io.close()
      server.closeAllConnections()
      for (const socket of connections) socket.destroy()
      await Promise.all([released, ioClosed])
    },
  }
}

/**
 * Someone else's http server: socket.io and the REST routes go in front of its own request
 * listeners (which then see every other request, socket.io's path excepted), and on close every
 * listener added is removed and the ones taken over are given back, leaving the server as it was.
 * `io.close()` would close the server itself, so it is not used here.
 */
function borrow(server: HttpServer, io: ChatIo, routes: HttpRoutes): Transport {
  const events = ['request', 'upgrade', 'close', 'listening'] as const
  const before = new Map(events.map((event) => [event, server.listeners(event)]))
  io.attach(server)
  // Two listeners answering one request would write headers twice and throw, so ours decide
  // first and pass on only what they do not answer.
  const rest = server.listeners('request') as RequestListener[]
  server.removeAllListeners('request')
  server.on('request', (req, res) => {
    if (!routes(req, res)) for (const listener of rest) listener.call(server, req, res)
  })
  const after = new Map(events.map((event) => [event, server.listeners(event)]))

  return {
    server,
    async close() {
      io.disconnectSockets(true)
      io.engine.close()
      await io.of('/').adapter.close()
      for (const event of events) {
        const was = before.get(event) ?? []
        const now = after.get(event) ?? []
        for (const listener of now) if (!was.includes(listener)) server.off(event, listener as never)
        // engine.io moved the original request listeners inside its own; they go back in front.
        const taken = was.filter((listener) => !now.includes(listener))
        for (const listener of taken.reverse()) server.prependListener(event, listener as never)
      }
    },
  }
}

function listeningPort(server: HttpServer): number {
  const address = server.address()
  return address !== null && typeof address === 'object' ? (address as AddressInfo).port : 0
}

function listeningAddress(server: HttpServer): string | undefined {
  const address = server.address()
  return address !== null && typeof address === 'object' ? (address as AddressInfo).address : undefined
}

function urlHost(host: string | undefined): string {
  if (host === undefined || host === '' || host === '0.0.0.0' || host === '::') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`)
  return value
}
