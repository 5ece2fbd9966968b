/** Webhook subscriptions on SQL (migration 0005): where events go, which ones, and the secret that signs them. */
import type { SqlEngine } from '../sql/engine'
import type { WebhookSubscriptionsTable } from '../sql/schema'
import type { WebhookEventType } from './webhook-events'

export interface WebhookSubscription {
  id: string
  url: string
  events: WebhookEventType[]
  createdBy?: string
  createdAt: number
}

export interface StoredSubscription extends WebhookSubscription {
  secret: string
}

export class WebhookStore {
  constructor(private readonly engine: SqlEngine) {}

  async create(subscription: StoredSubscription): Promise<void> {
    await this.engine.db
      .insertInto('webhook_subscriptions')
      .values({
        id: subscription.id,
        url: subscription.url,
        events: subscription.events.join(' '),
        secret: subscription.secret,
        created_by: subscription.createdBy ?? null,
        created_at: subscription.createdAt,
      })
      .execute()
  }

  async list(): Promise<StoredSubscription[]> {
    const rows = await this.engine.db.selectFrom('webhook_subscriptions').selectAll().orderBy('created_at').orderBy('id').execute()
    return rows.map(toSubscription)
  }

  async get(id: string): Promise<StoredSubscription | undefined> {
    const row = await this.engine.db.selectFrom('webhook_subscriptions').selectAll().where('id', '=', id).executeTakeFirst()
    return row && toSubscription(row)
  }

  async remove(id: string): Promise<boolean> {
    const result = await this.engine.db.deleteFrom('webhook_subscriptions').where('id', '=', id).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }
}

function toSubscription(row: WebhookSubscriptionsTable): StoredSubscription {
  return {
    id: row.id,
    url: row.url,
    events: row.events.split(' ').filter(Boolean) as WebhookEventType[],
    secret: row.secret,
    ...(row.created_by !== null && { createdBy: row.created_by }),
    createdAt: Number(row.created_at),
  }
}
