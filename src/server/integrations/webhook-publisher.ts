/**
 * Turns room changes into webhook events (the `WriteEffects` of webhooks): for every subscription
 * that wants the event, one delivery in the outbox, queued before the change is acknowledged.
 * Subscriptions are read from the database at most every `SUBSCRIPTIONS_FRESH_MS` (and at once
 * after this node changed them), so a subscription made elsewhere (the command line, another
 * node) gets its first events within that time; nothing is read when nobody subscribes.
 */
import type { ServerContext } from '../context'
import { toConversation } from '../context'
import type { WriteEffects } from '../writes/effects'
import type { OutboxStore } from './outbox-store'
import { eventId, type WebhookEvent, type WebhookEventType } from './webhook-events'
import type { StoredSubscription, WebhookStore } from './webhook-store'
import { webhookQueue } from './webhooks'

const SUBSCRIPTIONS_FRESH_MS = 2_000

export interface WebhookPublisher extends Partial<WriteEffects> {
  /** The subscriptions changed on this node: read them again before the next event. */
  invalidate(): void
  /** The subscription a queue delivers to, from the same cache. */
  subscriptionOf(queue: string): Promise<StoredSubscription | undefined>
}

export function createWebhookPublisher(ctx: ServerContext, store: WebhookStore, outbox: OutboxStore, queued: () => void): WebhookPublisher {
  let cache: { at: number; subscriptions: StoredSubscription[] } | undefined

  async function subscriptions(): Promise<StoredSubscription[]> {
    if (!cache || ctx.now() - cache.at >= SUBSCRIPTIONS_FRESH_MS) cache = { at: ctx.now(), subscriptions: await store.list() }
    return cache.subscriptions
  }

  async function publish(type: WebhookEventType, roomId: string, message?: Parameters<WriteEffects['changed']>[0]): Promise<void> {
    const wanting = (await subscriptions()).filter((subscription) => subscription.events.includes(type))
    if (wanting.length === 0) return
    const summary = await ctx.store.getSummary(roomId)
    if (!summary) return
    const conversation = await toConversation(ctx, summary)
    const event: WebhookEvent = { id: eventId(type, conversation, message), type, createdAt: ctx.now(), data: { conversation, ...(message && { message }) } }
    const body = JSON.stringify(event)
    await outbox.enqueue(
      wanting.map((subscription) => ({ queue: webhookQueue(subscription.id), eventId: event.id, eventType: type, roomId, body })),
      ctx.now(),
    )
    queued()
  }

  return {
    async posted(conversation, message, opened) {
      if (opened) await publish('conversation.created', conversation.roomId)
      await publish('message.created', message.roomId, message)
    },
    changed: (message, change) => publish(change === 'deleted' ? 'message.deleted' : 'message.updated', message.roomId, message),
    conversationChanged: (roomId, change) => publish(change === 'assigned' ? 'conversation.assigned' : 'conversation.status_changed', roomId),
    invalidate() {
      cache = undefined
    },
    async subscriptionOf(queue) {
      return (await subscriptions()).find((subscription) => webhookQueue(subscription.id) === queue) ?? (await store.list()).find((subscription) => webhookQueue(subscription.id) === queue)
    },
  }
}
