/**
 * Everything integrations add to a server, wired in one place: the REST API with its keys, the
 * owners' settings routes, and (with a database) webhooks and the WhatsApp channel with the
 * outbox worker that delivers for both. `createChatServer` calls this once, after its context.
 */
import type { AccountStore } from '../accounts/types'
import type { ServerContext } from '../context'
import { apiKeyRoutes } from '../http/api-key-routes'
import type { Route } from '../http/router'
import type { OriginPolicy } from '../origin-policy'
import { createKeyedRateLimiter } from '../rate-limit'
import { apiRoutes } from '../rest/api-routes'
import { conversationOperations } from '../rest/conversation-operations'
import { messageOperations } from '../rest/message-operations'
import { openApiDocument } from '../rest/openapi'
import { createApiKeys } from './api-keys'

/** Refused API keys per client address: enough for a misconfigured job to notice, not to scan. */
const REFUSED_KEYS_PER_ADDRESS = { perSecond: 1, burst: 20 }

export interface IntegrationsOptions {
  /** Where accounts (and so API keys) are kept; without accounts there is no REST API. */
  accountStore: AccountStore | undefined
  origins: OriginPolicy
  /** The server's public URL, for the OpenAPI document. */
  baseUrl: () => string
}

export interface Integrations {
  routes: Route[]
  close(): Promise<void>
}

export function createIntegrations(ctx: ServerContext, options: IntegrationsOptions): Integrations {
  const { accountStore } = options
  if (!accountStore || !ctx.accounts) return { routes: [], close: async () => {} }
  const apiKeys = createApiKeys({ store: accountStore, now: ctx.now })
  const operations = [...conversationOperations(ctx), ...messageOperations(ctx)]
  const routes = [
    ...apiRoutes(ctx, {
      apiKeys,
      operations,
      perKey: createKeyedRateLimiter(ctx.rateLimits.apiKey, ctx.now),
      refusedPerAddress: createKeyedRateLimiter(REFUSED_KEYS_PER_ADDRESS, ctx.now),
      openApi: () => openApiDocument(operations, { version: '1', serverUrl: options.baseUrl() }),
    }),
    ...apiKeyRoutes(ctx, ctx.accounts, apiKeys, options.origins),
  ]
  return { routes, close: async () => {} }
}
