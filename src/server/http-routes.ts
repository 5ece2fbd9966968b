/**
 * The small REST surface beside the socket: a health probe and a room's presence, for load
 * balancers and for pages that want to show "an agent is online" without opening a socket.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Presence } from '../protocol'
import type { ServerContext } from './context'
import type { OriginPolicy } from './origin-policy'

export interface HttpRoutesOptions {
  origins: OriginPolicy
  startedAt: number
  /**
   * True when the server owns the http server and so answers every path (404 for unknown ones).
   * When attached to someone else's server only the known routes are answered; the rest are theirs.
   */
  answerAll: boolean
}

/** Returns true when it answered the request. socket.io's own path is never answered here. */
export type HttpRoutes = (req: IncomingMessage, res: ServerResponse) => boolean

const SESSION_STATUS = /^\/api\/session\/([^/]*)\/connection-status$/
const ROOM_ID = /^[A-Za-z0-9_-]{1,128}$/

export function createHttpRoutes(ctx: ServerContext, options: HttpRoutesOptions): HttpRoutes {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    if (path.startsWith('/socket.io/')) return false
    const session = SESSION_STATUS.exec(path)
    const known = path === '/health' || session !== null
    if (!known && !options.answerAll) return false

    const reply = (status: number, body: unknown): void => {
      if (res.headersSent) return
      const origin = options.origins.corsOrigin(req)
      res.statusCode = status
      res.setHeader('Content-Type', 'application/json; charset=utf-8')
      res.setHeader('Cache-Control', 'no-store')
      if (origin !== undefined) {
        res.setHeader('Access-Control-Allow-Origin', origin)
        res.setHeader('Vary', 'Origin')
      }
      if (req.method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET, OPTIONS')
        res.setHeader('Access-Control-Allow-Headers', 'Content-Type')
      }
      res.end(status === 204 ? undefined : JSON.stringify(body))
    }

    if (!known) {
      reply(404, { success: false, message: 'Not found', error: `No route for ${req.method ?? 'GET'} ${path}` })
      return true
    }
    if (req.method === 'OPTIONS') {
      reply(204, undefined)
      return true
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, OPTIONS')
      reply(405, { success: false, message: 'Method not allowed', error: `${req.method ?? ''} is not supported here` })
      return true
    }
    if (!session) {
      reply(200, {
        success: true,
        message: 'ok',
        data: { uptimeMs: ctx.now() - options.startedAt, connections: ctx.io.of('/').sockets.size },
      })
      return true
    }

    const roomId = session[1] ?? ''
    if (!ROOM_ID.test(roomId)) {
      reply(400, {
        success: false,
        message: 'Invalid session ID',
        error: 'A session ID is 1 to 128 letters, digits, "-" or "_"',
      })
      return true
    }
    Promise.all([ctx.store.getConversation(roomId), ctx.presence.presence(roomId)]).then(
      ([stored, presence]) => {
        if (!stored) {
          reply(404, { success: false, message: 'Session not found', error: `No session ${roomId}` })
        } else {
          reply(200, { success: true, message: 'Connection status retrieved successfully', data: routePresence(presence) })
        }
      },
      (error: unknown) => {
        ctx.reportError(error, { route: 'connection-status', roomId })
        reply(500, { success: false, message: 'Failed to get connection status', error: 'The store failed' })
      },
    )
    return true
  }
}

/**
 * This route answers in the shape the status endpoints it replaces served (`customerConnected`,
 * `totalCustomer`), so pollers written for them keep working; the socket protocol says `visitor`.
 */
function routePresence({ users, visitorConnected, agentConnected, totalVisitor, totalAgent }: Presence) {
  return { users, customerConnected: visitorConnected, agentConnected, totalCustomer: totalVisitor, totalAgent }
}
