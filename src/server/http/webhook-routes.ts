/**
 * The inbox's webhook settings: subscriptions (list, make — the signing secret is in that answer
 * only — remove) and each one's delivery log. Owners only. Without a database there are no
 * webhooks (deliveries must survive a restart), and the answers say so.
 */
import type { Accounts } from '../accounts/accounts'
import type { ServerContext } from '../context'
import type { Webhooks } from '../integrations/webhooks'
import { WEBHOOK_EVENTS } from '../integrations/webhook-events'
import type { OriginPolicy } from '../origin-policy'
import { fail, ok, readJson } from './exchange'
import { ownerRoutes } from './owner-routes'
import type { Route } from './router'

export const WEBHOOKS_NEED_A_DATABASE = 'Webhooks need a database (the database option, or DATABASE_URL): deliveries wait there so that a restart loses none'

export function webhookRoutes(ctx: ServerContext, accounts: Accounts, webhooks: Webhooks | undefined, origins: OriginPolicy): Route[] {
  const route = ownerRoutes(accounts, origins)
  return [
    route(['GET', 'POST'], /^\/api\/integrations\/webhooks$/, async (ex, agent) => {
      if (ex.method !== 'POST') {
        return ok(ex, 'ok', { available: webhooks !== undefined, events: WEBHOOK_EVENTS, webhooks: webhooks ? await webhooks.list() : [], ...(!webhooks && { reason: WEBHOOKS_NEED_A_DATABASE }) })
      }
      if (!webhooks) return fail(ex, 409, WEBHOOKS_NEED_A_DATABASE, 'conflict')
      const body = await readJson(ex)
      const made = await webhooks.create(agent, { url: body.url, events: body.events })
      ctx.logger.info({ webhook: made.subscription.id, url: made.subscription.url, events: made.subscription.events, by: agent.id }, 'a webhook was added')
      ok(ex, 'Webhook added; copy the secret now, it is not shown again', made)
    }),
    route(['DELETE'], /^\/api\/integrations\/webhooks\/([^/]+)$/, async (ex, agent) => {
      if (!webhooks) return fail(ex, 409, WEBHOOKS_NEED_A_DATABASE, 'conflict')
      await webhooks.remove(agent, ex.params[0] ?? '')
      ctx.logger.info({ webhook: ex.params[0], by: agent.id }, 'a webhook was removed')
      ok(ex, 'Webhook removed', {})
    }),
    route(['GET'], /^\/api\/integrations\/webhooks\/([^/]+)\/deliveries$/, async (ex) => {
      if (!webhooks) return fail(ex, 409, WEBHOOKS_NEED_A_DATABASE, 'conflict')
      const limit = Number(ex.query.get('limit') ?? 50)
      ok(ex, 'ok', { deliveries: await webhooks.log(ex.params[0] ?? '', Number.isFinite(limit) ? limit : 50) })
    }),
  ]
}
