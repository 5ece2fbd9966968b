/**
 * The WhatsApp channel, wired: the webhook routes, the effects that queue agents' replies (and
 * refuse them where no WhatsApp is set up), and the outbox handler that sends them.
 */
import { channelOf } from '../channels'
import type { ServerContext } from '../context'
import { ChatError } from '../errors'
import type { Route } from '../http/router'
import type { OutboxStore } from '../integrations/outbox-store'
import type { DeliveryHandler } from '../integrations/outbox-worker'
import type { SqlEngine } from '../sql/engine'
import type { WriteEffects } from '../writes/effects'
import { MessageLinks } from './message-links'
import type { ResolvedWhatsApp } from './options'
import { replyDelivery, sendReply, showFailed } from './outbound'
import { whatsappRoutes } from './webhook-routes'

export interface WhatsAppChannel {
  routes: Route[]
  effects: Partial<WriteEffects>
  handler: DeliveryHandler
  onGiveUp: (job: Parameters<DeliveryHandler>[0], reason: string) => Promise<void>
}

/** Refuses agents' replies in WhatsApp conversations on a server that cannot send them. */
export const noWhatsApp: Partial<WriteEffects> = {
  checkPost(conversation, author) {
    if (author.role === 'agent' && channelOf(conversation.visitor.id) === 'whatsapp') {
      throw new ChatError('forbidden', 'WhatsApp is not set up on this server, so replies to WhatsApp conversations cannot be sent')
    }
  },
}

export function createWhatsAppChannel(ctx: ServerContext, config: ResolvedWhatsApp, engine: SqlEngine, outbox: OutboxStore, queued: () => void): WhatsAppChannel {
  const links = new MessageLinks(engine)
  return {
    routes: whatsappRoutes(ctx, config, links),
    effects: {
      async posted(conversation, message) {
        if (message.author.role !== 'agent') return
        const delivery = replyDelivery(conversation, message)
        if (!delivery) return
        await outbox.enqueue([delivery], ctx.now())
        queued()
      },
    },
    handler: (job, signal) => sendReply(ctx, links, config, job, signal),
    onGiveUp: (job, reason) => showFailed(ctx, job, reason),
  }
}
