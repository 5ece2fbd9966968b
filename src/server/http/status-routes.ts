/**
 * The small REST surface beside the socket: a health probe and a room's presence, for load
 * balancers and for pages that want to show "an agent is online" without opening a socket. Pages
 * on allowed origins may read them (CORS).
 */
import type { ServerContext } from '../context'
import { routePresence } from '../rest/shapes'
import type { OriginPolicy } from '../origin-policy'
import { fail, ok, sendJson, type Exchange } from './exchange'
import type { Route } from './router'

const ROOM_ID = /^[A-Za-z0-9_-]{1,128}$/

export function statusRoutes(ctx: ServerContext, origins: OriginPolicy, startedAt: number): Route[] {
  /** CORS headers for allowed origins, and the answer to a preflight. */
  const cors = (ex: Exchange): boolean => {
    const origin = origins.corsOrigin(ex.req)
    if (origin !== undefined) ex.headers = { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' }
    if (ex.method !== 'OPTIONS') return false
    sendJson(ex, 204, undefined, { 'Access-Control-Allow-Methods': 'GET, OPTIONS', 'Access-Control-Allow-Headers': 'Content-Type' })
    return true
  }
  return [
    {
      methods: ['GET'],
      pattern: /^\/health$/,
      handle(ex) {
        if (cors(ex)) return
        ok(ex, 'ok', { uptimeMs: ctx.now() - startedAt, connections: ctx.io.of('/').sockets.size })
      },
    },
    {
      methods: ['GET'],
      pattern: /^\/api\/session\/([^/]*)\/connection-status$/,
      async handle(ex) {
        if (cors(ex)) return
        const roomId = ex.params[0] ?? ''
        if (!ROOM_ID.test(roomId)) return fail(ex, 400, 'Invalid session ID', 'A session ID is 1 to 128 letters, digits, "-" or "_"')
        const [stored, presence] = await Promise.all([ctx.store.getConversation(roomId), ctx.presence.presence(roomId)])
        if (!stored) return fail(ex, 404, 'Session not found', `No session ${roomId}`)
        ok(ex, 'Connection status retrieved successfully', routePresence(presence))
      },
    },
  ]
}
