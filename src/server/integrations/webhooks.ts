/**
 * Webhook subscriptions as owners manage them (the inbox's Settings, `obrolan webhooks`): a URL,
 * the events it wants and the secret deliveries are signed with (shown once, when made), and the
 * delivery log with each delivery's last answer. They need a database: deliveries wait in its
 * outbox, so a restart loses none.
 */
import { randomUUID } from 'node:crypto'
import { AccountError } from '../accounts/accounts'
import { randomToken } from '../accounts/tokens'
import type { Agent } from '../accounts/types'
import type { DeliveryRecord, OutboxStore } from './outbox-store'
import { WEBHOOK_EVENTS, type WebhookEventType } from './webhook-events'
import type { StoredSubscription, WebhookStore, WebhookSubscription } from './webhook-store'

export const webhookQueue = (subscriptionId: string): string => `webhook:${subscriptionId}`

export type Webhooks = ReturnType<typeof createWebhooks>

export function createWebhooks({ store, outbox, now, changed }: { store: WebhookStore; outbox: OutboxStore; now: () => number; changed?: () => void }) {
  const mayManage = (by: Agent | 'command-line'): void => {
    if (by !== 'command-line' && by.role !== 'owner') throw new AccountError('forbidden', 'Only owners manage webhooks')
  }
  const known = async (id: string): Promise<StoredSubscription> => {
    const subscription = await store.get(id)
    if (!subscription) throw new AccountError('not_found', `No webhook ${id}`)
    return subscription
  }
  return {
    /** A new subscription; `secret` signs its deliveries and is not shown again. */
    async create(by: Agent | 'command-line', input: { url: unknown; events?: unknown }): Promise<{ subscription: WebhookSubscription; secret: string }> {
      mayManage(by)
      const subscription: WebhookSubscription = {
        id: randomUUID(),
        url: checkUrl(input.url),
        events: checkEvents(input.events),
        ...(by !== 'command-line' && { createdBy: by.id }),
        createdAt: now(),
      }
      const secret = `whsec_${randomToken()}`
      await store.create({ ...subscription, secret })
      changed?.()
      return { subscription, secret }
    },

    async list(): Promise<WebhookSubscription[]> {
      return (await store.list()).map(({ secret: _secret, ...subscription }) => subscription)
    },

    /** Removes a subscription; deliveries still waiting for it are given up. */
    async remove(by: Agent | 'command-line', id: string): Promise<void> {
      mayManage(by)
      if (!(await store.remove(id))) throw new AccountError('not_found', `No webhook ${id}`)
      await outbox.dropPending(webhookQueue(id), now(), 'the webhook was removed')
      changed?.()
    },

    /** The subscription's newest deliveries, each with its last attempt's answer. */
    async log(id: string, limit = 50): Promise<DeliveryRecord[]> {
      await known(id)
      return outbox.recent(webhookQueue(id), Math.max(1, Math.min(200, Math.floor(limit))))
    },
  }
}

function checkUrl(value: unknown): string {
  let url: URL | undefined
  try {
    url = typeof value === 'string' && value.length <= 2048 ? new URL(value) : undefined
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw new AccountError('bad_request', 'url must be an http(s) address such as https://crm.example.com/hooks/obrolan')
  return url.href
}

/** The events asked for; none named means all of them. */
function checkEvents(value: unknown): WebhookEventType[] {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return [...WEBHOOK_EVENTS]
  const list = typeof value === 'string' ? value.split(',').map((event) => event.trim()) : value
  if (!Array.isArray(list) || !list.every((event): event is WebhookEventType => WEBHOOK_EVENTS.includes(event as WebhookEventType))) {
    throw new AccountError('bad_request', `events must be some of ${WEBHOOK_EVENTS.join(', ')}`)
  }
  return WEBHOOK_EVENTS.filter((event) => list.includes(event))
}
