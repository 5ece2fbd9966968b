/**
 * Which web pages may talk to this server. Browsers send `Origin` with every WebSocket handshake
 * and every cross-origin request; WebSockets are not covered by CORS at all, so the server must
 * check the origin itself or any site could open a chat socket with a visitor's credentials.
 *
 * Origins are compared as whole serialised origins (scheme, host, port), exactly as browsers send
 * them. The server's own origin is its configured `publicUrl`, never the request's `Host` header:
 * a page on a rebinding domain (evil.example resolving to this server) sends a matching Host.
 */
import type { IncomingMessage } from 'node:http'

/** `'*'` allows every origin; a list allows those (and always the server's own origins). */
export type AllowedOrigins = '*' | readonly string[]

export interface OriginPolicy {
  /** Requests without an `Origin` come from non-browser clients and are allowed (they still authenticate). */
  allows(req: Pick<IncomingMessage, 'headers'>): boolean
  /** The `Access-Control-Allow-Origin` value for this request, or undefined to send none. */
  corsOrigin(req: Pick<IncomingMessage, 'headers'>): string | undefined
  /**
   * For what only the server's own pages may do (agents' accounts): true when the request carries
   * no `Origin` (not a browser) or the server's own. Allowed site origins do not count.
   */
  fromOwnPage(req: Pick<IncomingMessage, 'headers'>): boolean
  readonly allowsAll: boolean
}

/** Normalises each configured origin (IDN to punycode, default ports dropped) and refuses anything else. */
export function checkAllowedOrigins(allowed: AllowedOrigins): AllowedOrigins {
  if (allowed === '*') return allowed
  if (!Array.isArray(allowed)) throw new TypeError("allowedOrigins must be '*' or an array of origins")
  return allowed.map((origin) => {
    const parsed = parseOrigin(origin)
    if (parsed === undefined) {
      throw new TypeError(`allowedOrigins: "${origin}" is not an origin like "https://shop.example.com" (http or https, host, optional port, nothing else)`)
    }
    return parsed
  })
}

/**
 * `ownOrigins` is read at every check: the port of a server listening on port 0 is known only once
 * it listens.
 */
export function createOriginPolicy(allowed: AllowedOrigins, ownOrigins: () => readonly string[]): OriginPolicy {
  const allows = (origin: string | undefined): boolean =>
    origin === undefined || allowed === '*' || allowed.includes(origin) || ownOrigins().includes(origin)
  return {
    allowsAll: allowed === '*',
    allows: (req) => allows(req.headers.origin),
    fromOwnPage: (req) => req.headers.origin === undefined || ownOrigins().includes(req.headers.origin),
    corsOrigin(req) {
      const origin = req.headers.origin
      if (origin === undefined || !allows(origin)) return undefined
      return allowed === '*' ? '*' : origin
    },
  }
}

/**
 * The origins a server reaches itself at: its public URL when one is configured, else the
 * loopback names of its port (for development, where pages are served from the same machine).
 */
export function ownOriginsOf(publicUrl: string | undefined, port: number): string[] {
  if (publicUrl !== undefined) return [new URL(publicUrl).origin]
  return [`http://localhost:${port}`, `http://127.0.0.1:${port}`, `http://[::1]:${port}`]
}

/** `https://host[:port]` in the form browsers send, or undefined when `value` is not exactly such an origin. */
function parseOrigin(value: string): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return undefined
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
  // "https://shop.example.com/" is accepted as the origin it plainly means; any other path is not.
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/' || value.endsWith('?') || value.endsWith('#')) return undefined
  return url.origin
}
