/**
 * Routes for owners in the inbox (API keys, webhooks), guarded the way the account routes are:
 * only the server's own pages may call them (no CORS, any other Origin refused), the agent must
 * be signed in, state changes carry a JSON body a cross-site form cannot send, and refusals
 * become their status codes.
 */
import { AccountError, type Accounts } from '../accounts/accounts'
import type { Agent } from '../accounts/types'
import type { OriginPolicy } from '../origin-policy'
import { BodyError, fail, readCookie, type Exchange } from './exchange'
import { SESSION_COOKIE } from './auth-routes'
import type { Route } from './router'

const STATUS: Record<AccountError['code'], number> = { bad_request: 400, unauthorized: 401, forbidden: 403, not_found: 404, conflict: 409, gone: 410 }

export type OwnerHandler = (ex: Exchange, agent: Agent) => Promise<void>

export function ownerRoutes(accounts: Accounts, origins: OriginPolicy) {
  /** A route for signed-in agents; `ownersOnly` refuses the others with 403. */
  return (methods: string[], pattern: RegExp, handle: OwnerHandler, ownersOnly = true): Route => ({
    methods,
    pattern,
    async handle(ex) {
      if (!origins.fromOwnPage(ex.req)) return fail(ex, 403, 'Forbidden', 'These settings can be used only from this server’s own pages')
      try {
        const agent = await accounts.signedInAgent(readCookie(ex, SESSION_COOKIE))
        if (!agent) return fail(ex, 401, 'Not signed in', 'unauthorized')
        if (ownersOnly && agent.role !== 'owner') return fail(ex, 403, 'Only owners manage integrations', 'forbidden')
        await handle(ex, agent)
      } catch (error) {
        if (error instanceof AccountError) return fail(ex, STATUS[error.code], error.message, error.code)
        if (error instanceof BodyError) return fail(ex, error.status, error.message, 'bad_body')
        throw error
      }
    },
  })
}
