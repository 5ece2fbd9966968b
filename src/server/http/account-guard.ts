/**
 * What every route of the agents' own API shares (accounts, canned replies, and later settings):
 * only the server's own pages may call it, the caller is a signed-in agent, and refusals become
 * their status codes with the message meant for the person.
 */
import { AccountError, type Accounts } from '../accounts/accounts'
import type { Agent } from '../accounts/types'
import type { OriginPolicy } from '../origin-policy'
import { BodyError, fail, readCookie, type Exchange } from './exchange'
import type { Route } from './router'

export const SESSION_COOKIE = 'obrolan_session'

const STATUS: Record<AccountError['code'], number> = { bad_request: 400, unauthorized: 401, forbidden: 403, not_found: 404, conflict: 409, gone: 410 }

export interface AccountGuard {
  /** A route behind the origin check whose refusals (AccountError, BodyError) become status codes. */
  route(methods: string[], pattern: RegExp, handle: (ex: Exchange) => Promise<void>): Route
  /** The signed-in agent, or an answered 401. */
  requireAgent(ex: Exchange): Promise<Agent | undefined>
}

export function accountGuard(accounts: Accounts, origins: OriginPolicy): AccountGuard {
  const guarded =
    (handle: (ex: Exchange) => Promise<void>) =>
    async (ex: Exchange): Promise<void> => {
      if (!origins.fromOwnPage(ex.req)) return fail(ex, 403, 'Forbidden', 'Accounts can be used only from this server’s own pages')
      try {
        await handle(ex)
      } catch (error) {
        if (error instanceof AccountError) return fail(ex, STATUS[error.code], error.message, error.code)
        if (error instanceof BodyError) return fail(ex, error.status, error.message, 'bad_body')
        throw error
      }
    }
  return {
    route: (methods, pattern, handle) => ({ methods, pattern, handle: guarded(handle) }),
    async requireAgent(ex) {
      const agent = await accounts.signedInAgent(readCookie(ex, SESSION_COOKIE))
      if (!agent) fail(ex, 401, 'Not signed in', 'Sign in first')
      return agent
    },
  }
}
