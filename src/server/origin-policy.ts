/**
 * Which web pages may talk to this server. Browsers send `Origin` with every WebSocket handshake
 * and every cross-origin request; WebSockets are not covered by CORS at all, so the server must
 * check the origin itself or any site could open a chat socket with a visitor's credentials.
 */
import type { IncomingMessage } from 'node:http'

/** `'*'` allows every origin; a list allows those (and always the server's own origin). */
export type AllowedOrigins = '*' | readonly string[]

export function checkAllowedOrigins(allowed: AllowedOrigins): AllowedOrigins {
  if (allowed === '*') return allowed
  if (!Array.isArray(allowed)) throw new TypeError("allowedOrigins must be '*' or an array of origins")
  for (const origin of allowed) {
    let parsed: URL | undefined
    try {
      parsed = new URL(origin)
    } catch {
      parsed = undefined
    }
    if (!parsed || parsed.origin !== origin) {
      throw new TypeError(`allowedOrigins: "${origin}" is not an origin like "https://shop.example.com" (scheme, host, optional port, no path)`)
    }
  }
  return allowed
}

/**
 * Requests without an `Origin` come from non-browser clients (servers, tests, native apps),
 * which no page can impersonate; they are let through and must authenticate like everyone else.
 */
export function isOriginAllowed(allowed: AllowedOrigins, req: Pick<IncomingMessage, 'headers'>): boolean {
  const origin = req.headers.origin
  if (origin === undefined || allowed === '*') return true
  if (allowed.includes(origin)) return true
  try {
    return new URL(origin).host === req.headers.host
  } catch {
    return false
  }
}
