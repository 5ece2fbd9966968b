/**
 * The secrets accounts hand out. Session ids and one-time tokens are random and kept only as
 * their SHA-256, so a copy of the database opens nothing. Socket tokens are short-lived and
 * signed with the server secret (shared by every node), so any node can check one; each still
 * names a session, which must be alive when the socket connects.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { safeEqual } from '../visitor-token'

export const randomToken = (): string => randomBytes(32).toString('base64url')

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('base64url')

/** How long a socket token may be used to open a connection. */
export const SOCKET_TOKEN_TTL_MS = 60_000

export interface SocketTokenClaims {
  agentId: string
  sessionHash: string
  expiresAt: number
}

const PREFIX = 'ob1'

export function signSocketToken(secret: string, claims: SocketTokenClaims): string {
  const body = Buffer.from(JSON.stringify([claims.agentId, claims.sessionHash, claims.expiresAt])).toString('base64url')
  return `${PREFIX}.${body}.${mac(secret, body)}`
}

/** The claims of a token this server signed that has not expired by `now`, else undefined. */
export function readSocketToken(secret: string, token: string, now: number): SocketTokenClaims | undefined {
  const [prefix, body, signature] = token.split('.')
  if (prefix !== PREFIX || !body || !signature || !safeEqual(signature, mac(secret, body))) return undefined
  try {
    const [agentId, sessionHash, expiresAt] = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown[]
    if (typeof agentId !== 'string' || typeof sessionHash !== 'string' || typeof expiresAt !== 'number') return undefined
    return expiresAt > now ? { agentId, sessionHash, expiresAt } : undefined
  } catch {
    // Signed by us, so this cannot happen short of a changed format: treat it as no token.
    return undefined
  }
}

/** True when `token` looks like a socket token (so another agent authentication is not tried on it). */
export const isSocketToken = (token: string): boolean => token.startsWith(`${PREFIX}.`)

function mac(secret: string, body: string): string {
  return createHmac('sha256', secret).update(`socket-token\0${body}`).digest('base64url')
}
