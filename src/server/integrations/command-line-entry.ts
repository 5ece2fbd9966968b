/**
 * Webhooks on a database URL, for the command line (`obrolan webhooks …`), which needs them
 * without a running server. The database is migrated like the server does at start.
 */
import { createSqlStore } from '../sql/index'
import { OutboxStore } from './outbox-store'
import { WebhookStore } from './webhook-store'
import { createWebhooks, type Webhooks } from './webhooks'

export async function openWebhooks(url: string): Promise<{ webhooks: Webhooks; close(): Promise<void> }> {
  const sql = await createSqlStore(url)
  return { webhooks: createWebhooks({ store: new WebhookStore(sql.engine), outbox: new OutboxStore(sql.engine), now: Date.now }), close: () => sql.close() }
}
