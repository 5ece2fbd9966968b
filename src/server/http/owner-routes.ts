/**
 * Routes for owners in the inbox (API keys, webhooks), behind the guard every route of the agents'
 * own API has (account-guard.ts): the server's own pages only, a signed-in agent, JSON bodies,
 * refusals as status codes; and then only owners.
 */
import type { Accounts } from '../accounts/accounts'
import type { Agent } from '../accounts/types'
import type { OriginPolicy } from '../origin-policy'
import { accountGuard } from './account-guard'
import { fail, type Exchange } from './exchange'
import type { Route } from './router'

export type OwnerHandler = (ex: Exchange, owner: Agent) => Promise<void>

export function ownerRoutes(accounts: Accounts, origins: OriginPolicy) {
  const { route, requireAgent } = accountGuard(accounts, origins)
  return (methods: string[], pattern: RegExp, handle: OwnerHandler): Route =>
    route(methods, pattern, async (ex) => {
      const agent = await requireAgent(ex)
      if (!agent) return
      if (agent.role !== 'owner') return fail(ex, 403, 'Only owners manage integrations', 'forbidden')
      await handle(ex, agent)
    })
}
