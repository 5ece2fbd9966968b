/**
 * What Meta's webhook brings in: customers' messages become visitor messages of their
 * conversation (one per wa_id, created by the first message, in the same inbox as the widget's),
 * through the write path every writer shares, with the WhatsApp message id as the idempotency
 * key, so a webhook delivered twice stores one message. Statuses of our replies become their
 * ticks: `delivered` and `read` raise the visitor's watermarks, `sent` and `failed` the reply's
 * delivery.
 */
import { normalizeDisplayName } from '../../protocol'
import type { Author } from '../../protocol'
import { whatsappClientId, whatsappVisitorId } from '../channels'
import type { ServerContext } from '../context'
import { visitorRoomId } from '../ids'
import { raiseMark } from '../writes/marks'
import { postMessage, setDelivery } from '../writes/messages'
import type { MessageLinks } from './message-links'
import { reasonOf, textOf, type StatusUpdate, type WebhookBody } from './webhook-body'

export async function receive(ctx: ServerContext, links: MessageLinks, phoneNumberId: string, body: WebhookBody): Promise<void> {
  for (const entry of body.entry) {
    for (const { value } of entry.changes) {
      if (value.metadata?.phone_number_id !== undefined && value.metadata.phone_number_id !== phoneNumberId) {
        ctx.logger.warn({ phoneNumberId: value.metadata.phone_number_id }, 'a WhatsApp webhook for another phone number was ignored')
        continue
      }
      const names = new Map((value.contacts ?? []).map((contact) => [contact.wa_id, contact.profile?.name]))
      for (const message of value.messages ?? []) {
        const name = names.get(message.from)
        const shown = name === undefined ? undefined : normalizeDisplayName(name, 'visitor')
        const visitor: Author = { id: whatsappVisitorId(message.from), role: 'visitor', ...(shown !== undefined && { name: shown }) }
        const roomId = visitorRoomId(ctx.secret, visitor.id)
        const text = textOf(message).slice(0, ctx.maxTextLength) || `[${message.type}]`
        await postMessage(ctx, { roomId, clientId: whatsappClientId(message.id), author: visitor, text }, {
          async conversation() {
            const stored = await ctx.store.getConversation(roomId)
            return stored ? { conversation: stored, opened: false } : { conversation: await ctx.store.openVisitorConversation(visitor, roomId, ctx.now()), opened: true }
          },
        })
      }
      for (const status of value.statuses ?? []) await applyStatus(ctx, links, status)
    }
  }
}

async function applyStatus(ctx: ServerContext, links: MessageLinks, status: StatusUpdate): Promise<void> {
  const link = await links.find(status.id)
  // A status of a message this server did not send (another tool on the same number).
  if (!link) return
  const message = await ctx.store.getMessage(link.roomId, link.messageId)
  if (!message) return
  switch (status.status) {
    case 'delivered':
    case 'read':
      await raiseMark(ctx, link.roomId, 'visitor', status.status, message.seq, () => ctx.store.getConversation(link.roomId))
      return
    case 'sent':
      await setDelivery(ctx, link.roomId, link.messageId, { channel: 'whatsapp', status: 'sent' }, (current) => current.delivery !== undefined)
      return
    case 'failed':
      await setDelivery(ctx, link.roomId, link.messageId, { channel: 'whatsapp', status: 'failed', error: reasonOf(status.errors?.[0]).slice(0, 500) })
      return
    default:
      ctx.logger.debug({ status: status.status, wamid: status.id }, 'a WhatsApp status the inbox does not show')
  }
}
