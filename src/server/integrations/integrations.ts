/**
 * Everything integrations add to a server, wired in one place: the REST API with its keys, the
 * owners' settings routes, and (with a database) webhooks and the WhatsApp channel with the
 * outbox worker that delivers for both. `createChatServer` calls this once, after its context,
 * and puts the returned effects into the write paths.
 */
import type { AccountStore } from '../accounts/types'
import type { ServerContext } from '../context'
import { apiKeyRoutes } from '../http/api-key-routes'
import type { Route } from '../http/router'
import { webhookRoutes } from '../http/webhook-routes'
import type { OriginPolicy } from '../origin-policy'
import { createKeyedRateLimiter } from '../rate-limit'
import { apiRoutes } from '../rest/api-routes'
import { conversationOperations } from '../rest/conversation-operations'
import { messageOperations } from '../rest/message-operations'
import { openApiDocument } from '../rest/openapi'
import type { SqlEngine } from '../sql/engine'
import { combineEffects, type WriteEffects } from '../writes/effects'
import { createApiKeys } from './api-keys'
import type { ResolvedDeliveries } from './delivery-options'
import { OutboxStore } from './outbox-store'
import { createOutboxWorker, type DeliveryHandler, type OutboxWorker } from './outbox-worker'
import { deliverWebhook } from './webhook-delivery'
import { createWebhookPublisher } from './webhook-publisher'
import { WebhookStore } from './webhook-store'
import { createWebhooks, type Webhooks } from './webhooks'
import { createWhatsAppChannel, noWhatsApp } from '../whatsapp/channel'
import type { ResolvedWhatsApp } from '../whatsapp/options'
import { WHATSAPP_QUEUE } from '../whatsapp/outbound'

/** Refused API keys per client address: enough for a misconfigured job to notice, not to scan. */
const REFUSED_KEYS_PER_ADDRESS = { perSecond: 1, burst: 20 }

export interface IntegrationsOptions {
  /** Where accounts (and so API keys) are kept; without accounts there is no REST API. */
  accountStore: AccountStore | undefined
  /** The SQL database, when there is one: webhooks and channels need its outbox. */
  engine: SqlEngine | undefined
  origins: OriginPolicy
  /** The server's public URL, for the OpenAPI document. */
  baseUrl: () => string
  deliveries: ResolvedDeliveries
  random: () => number
  /** The WhatsApp channel's settings (needs `engine`). */
  whatsapp: ResolvedWhatsApp | undefined
}

export interface Integrations {
  routes: Route[]
  effects: WriteEffects
  /** Starts the outbox worker, once the server listens. */
  start(): void
  close(): Promise<void>
}

export function createIntegrations(ctx: ServerContext, options: IntegrationsOptions): Integrations {
  const outbox = options.engine && new OutboxStore(options.engine)
  const handlers = new Map<string, DeliveryHandler>()
  let worker: OutboxWorker | undefined
  const kick = (): void => worker?.kick()

  let webhooks: Webhooks | undefined
  const effects: Partial<WriteEffects>[] = []
  const routes: Route[] = []
  const channel = options.whatsapp && outbox && options.engine ? createWhatsAppChannel(ctx, options.whatsapp, options.engine, outbox, kick) : undefined
  effects.push(channel?.effects ?? noWhatsApp)
  if (channel) {
    handlers.set(WHATSAPP_QUEUE, channel.handler)
    routes.push(...channel.routes)
  }
  if (outbox && options.engine) {
    const store = new WebhookStore(options.engine)
    const publisher = createWebhookPublisher(ctx, store, outbox, kick)
    webhooks = createWebhooks({ store, outbox, now: ctx.now, changed: () => publisher.invalidate() })
    effects.push(publisher)
    handlers.set('webhook', async (job, signal) => {
      const subscription = await publisher.subscriptionOf(job.queue)
      if (!subscription) return { outcome: 'failed', error: 'the webhook was removed' }
      return deliverWebhook(job, subscription, ctx.now(), signal)
    })
    worker = createOutboxWorker({
      store: outbox,
      handlerOf: (queue) => handlers.get(queue.split(':')[0]!),
      onGiveUp: async (job, result) => {
        if (job.queue === WHATSAPP_QUEUE) await channel?.onGiveUp(job, result.error ?? 'WhatsApp did not take the message')
      },
      policy: options.deliveries.policy,
      timeoutMs: options.deliveries.timeoutMs,
      pollMs: options.deliveries.pollMs,
      concurrency: options.deliveries.concurrency,
      now: ctx.now,
      random: options.random,
      logger: ctx.logger,
      reportError: ctx.reportError,
    })
  }

  if (options.accountStore && ctx.accounts) {
    const apiKeys = createApiKeys({ store: options.accountStore, now: ctx.now })
    const operations = [...conversationOperations(ctx), ...messageOperations(ctx)]
    routes.push(
      ...apiRoutes(ctx, {
        apiKeys,
        operations,
        perKey: createKeyedRateLimiter(ctx.rateLimits.apiKey, ctx.now),
        refusedPerAddress: createKeyedRateLimiter(REFUSED_KEYS_PER_ADDRESS, ctx.now),
        openApi: () => openApiDocument(operations, { version: '1', serverUrl: options.baseUrl() }),
      }),
      ...apiKeyRoutes(ctx, ctx.accounts, apiKeys, options.origins),
      ...webhookRoutes(ctx, ctx.accounts, webhooks, options.origins),
    )
  }

  return {
    routes,
    effects: combineEffects(effects),
    start: () => worker?.start(),
    close: async () => worker?.close(),
  }
}
