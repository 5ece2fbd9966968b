/**
 * Who is making an HTTP request beside the socket (file uploads and downloads), from the same
 * credentials a socket handshake carries: the `X-Obrolan-Auth` header holds the handshake's `auth`
 * object as base64url-encoded JSON (visitors: `visitorId` and `token`, or a signed `identity`;
 * agents: `token`). Agents on the server's own pages may instead rely on their session cookie.
 */
import { check, requestSchemas } from '../../protocol'
import type { Author } from '../../protocol'
import type { Accounts } from '../accounts/accounts'
import type { ServerContext } from '../context'
import { ChatError } from '../errors'
import { identifyAgent, identifyKnownVisitor } from '../handshake'
import type { OriginPolicy } from '../origin-policy'
import { SESSION_COOKIE } from './account-guard'
import { readCookie, type Exchange } from './exchange'

export const AUTH_HEADER = 'x-obrolan-auth'

export interface Requester {
  user: Author
  /** Visitors: the one room they may use. */
  roomId?: string
}

/** The requester, or a `ChatError('unauthorized')` saying what was wrong with the credentials. */
export async function requesterOf(ctx: ServerContext, ex: Exchange, origins: OriginPolicy): Promise<Requester> {
  const header = ex.req.headers[AUTH_HEADER]
  if (typeof header === 'string') {
    const auth = check(requestSchemas.handshakeAuth, decode(header))
    if (!auth.ok) throw new ChatError('unauthorized', `${AUTH_HEADER} is not a handshake's auth object as base64url JSON: ${auth.reason}`)
    if (auth.value.role === 'agent') return { user: (await identifyAgent(ctx, auth.value)).user }
    return identifyKnownVisitor(ctx, auth.value)
  }
  const agent = ctx.accounts && origins.fromOwnPage(ex.req) ? await signedIn(ctx.accounts, ex) : undefined
  if (agent) return { user: agent }
  throw new ChatError('unauthorized', `Send the ${AUTH_HEADER} header (the socket handshake's credentials), or sign in to the inbox`)
}

async function signedIn(accounts: Accounts, ex: Exchange): Promise<Author | undefined> {
  const agent = await accounts.signedInAgent(readCookie(ex, SESSION_COOKIE))
  return agent && { id: agent.id, role: 'agent', name: agent.name }
}

function decode(header: string): unknown {
  try {
    return JSON.parse(Buffer.from(header, 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
}
