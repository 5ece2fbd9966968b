/**
 * The HTTP side of the server: a list of routes tried in order. Socket.IO's own path is never
 * answered here. On a server we own every other path is answered (404 when no route matches); on
 * a borrowed one only our routes are, the rest belongs to its owner.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ServerContext } from '../context'
import { exchangeOf, fail, type Exchange } from './exchange'

export interface Route {
  /** Methods answered; others get 405 with `Allow`. HEAD is answered wherever GET is. */
  methods: readonly string[]
  pattern: RegExp
  handle(ex: Exchange): void | Promise<void>
}

/** Returns true when it answered the request. */
export type HttpRoutes = (req: IncomingMessage, res: ServerResponse) => boolean

export function createRouter(ctx: ServerContext, routes: readonly Route[], answerAll: boolean): HttpRoutes {
  return (req, res) => {
    const ex = exchangeOf(req, res)
    if (ex.path.startsWith('/socket.io/')) return false
    const route = routes.find((candidate) => candidate.pattern.test(ex.path))
    if (!route) {
      if (!answerAll) return false
      fail(ex, 404, 'Not found', `No route for ${ex.method} ${ex.path}`)
      return true
    }
    const allowed = route.methods.includes('GET') ? [...route.methods, 'HEAD'] : route.methods
    if (!allowed.includes(ex.method) && ex.method !== 'OPTIONS') {
      fail(ex, 405, 'Method not allowed', `${ex.method} is not supported here`, { Allow: [...allowed, 'OPTIONS'].join(', ') })
      return true
    }
    Promise.resolve()
      .then(() => {
        ex.params = (route.pattern.exec(ex.path) ?? []).slice(1).map(decodeParam)
        return route.handle(ex)
      })
      .catch((error: unknown) => {
        ctx.reportError(error, { route: ex.path, method: ex.method })
        fail(ex, 500, 'Internal server error', 'The server failed; it has been logged')
      })
    return true
  }
}

/** A path parameter as text; malformed percent-encoding is kept as it came, for the route to refuse. */
function decodeParam(param: string): string {
  try {
    return decodeURIComponent(param)
  } catch {
    return param
  }
}
