/** The inbox's API key settings: list, make (the key is in this answer only), revoke. Owners only. */
import type { Accounts } from '../accounts/accounts'
import type { ApiKeys } from '../integrations/api-keys'
import type { OriginPolicy } from '../origin-policy'
import type { ServerContext } from '../context'
import { ok, readJson } from './exchange'
import { ownerRoutes } from './owner-routes'
import type { Route } from './router'

export function apiKeyRoutes(ctx: ServerContext, accounts: Accounts, apiKeys: ApiKeys, origins: OriginPolicy): Route[] {
  const route = ownerRoutes(accounts, origins)
  return [
    route(['GET', 'POST'], /^\/api\/integrations\/keys$/, async (ex, agent) => {
      if (ex.method !== 'POST') return ok(ex, 'ok', { keys: await apiKeys.list() })
      const body = await readJson(ex)
      const { key, token } = await apiKeys.create(agent, { name: body.name, scopes: body.scopes })
      ctx.logger.info({ key: key.id, name: key.name, scopes: key.scopes, by: agent.id }, 'an API key was made')
      ok(ex, 'API key made; copy it now, it is not shown again', { key, token })
    }),
    route(['DELETE'], /^\/api\/integrations\/keys\/([^/]+)$/, async (ex, agent) => {
      await apiKeys.revoke(agent, ex.params[0] ?? '')
      ctx.logger.info({ key: ex.params[0], by: agent.id }, 'an API key was revoked')
      ok(ex, 'API key revoked', {})
    }),
  ]
}
