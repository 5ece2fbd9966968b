/**
 * Agents' replies in WhatsApp conversations: queued in the outbox when stored (before the agent
 * is answered), then sent by the worker through the Cloud API's messages endpoint
 * (`POST {apiUrl}/{phoneNumberId}/messages`). Accepted: the reply is `sent` and its WhatsApp id
 * kept for the statuses to come. Refused (a 4xx such as a reply outside the 24-hour window):
 * `failed` at once with the API's reason. Unreachable, 429 or 5xx: tried again with backoff, and
 * shown `failed` with the last reason if it never goes through.
 */
import { waIdOf } from '../channels'
import type { ServerContext } from '../context'
import type { NewDelivery, OutboxJob } from '../integrations/outbox-store'
import type { AttemptResult } from '../integrations/outbox-worker'
import type { StoredConversation } from '../store'
import { setDelivery } from '../writes/messages'
import type { MessageLinks } from './message-links'
import type { ResolvedWhatsApp } from './options'
import { reasonOf } from './webhook-body'

export const WHATSAPP_QUEUE = 'whatsapp'

interface Reply {
  to: string
  text: string
  roomId: string
  messageId: string
}

/** The outbox delivery of an agent's reply; its event id is the message's, so a retried send queues it once. */
export function replyDelivery(conversation: StoredConversation, message: { id: string; roomId: string; text: string }): NewDelivery | undefined {
  const to = waIdOf(conversation.visitor.id)
  if (to === undefined) return undefined
  const reply: Reply = { to, text: message.text, roomId: message.roomId, messageId: message.id }
  return { queue: WHATSAPP_QUEUE, eventId: `reply_${message.id}`, eventType: 'whatsapp.reply', roomId: message.roomId, body: JSON.stringify(reply) }
}

export async function sendReply(ctx: ServerContext, links: MessageLinks, config: ResolvedWhatsApp, job: OutboxJob, signal: AbortSignal): Promise<AttemptResult> {
  const reply = JSON.parse(job.body) as Reply
  let res: Response
  let answer: string
  try {
    res = await fetch(`${config.apiUrl}/${encodeURIComponent(config.phoneNumberId)}/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${config.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to: reply.to, type: 'text', text: { preview_url: false, body: reply.text } }),
      signal,
    })
    answer = await res.text()
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code
    return { outcome: 'retry', error: signal.aborted ? 'the WhatsApp Cloud API did not answer in time' : `the WhatsApp Cloud API is unreachable (${cause ?? (error as Error).message})` }
  }
  const parsed = parse(answer)
  const response = answer.slice(0, 500)
  if (res.ok) {
    const wamid = parsed?.messages?.[0]?.id
    if (wamid) await links.add(wamid, { roomId: reply.roomId, messageId: reply.messageId }, ctx.now())
    await setDelivery(ctx, reply.roomId, reply.messageId, { channel: 'whatsapp', status: 'sent' }, (current) => current.delivery !== undefined)
    return { outcome: 'delivered', status: res.status, response }
  }
  const reason = reasonOf(parsed?.error).slice(0, 500)
  // A failure that is final is shown by the worker's onGiveUp (showFailed), like a retry that ran out.
  return { outcome: res.status === 429 || res.status >= 500 ? 'retry' : 'failed', status: res.status, response, error: reason }
}

/** A reply that will not reach the contact: agents see it failed, with why. */
export async function showFailed(ctx: ServerContext, job: OutboxJob, reason: string): Promise<void> {
  const reply = JSON.parse(job.body) as Reply
  await setDelivery(ctx, reply.roomId, reply.messageId, { channel: 'whatsapp', status: 'failed', error: reason.slice(0, 500) })
}

interface ApiAnswer {
  messages?: { id?: string }[]
  error?: { code?: number; message?: string; title?: string; error_data?: { details?: string } }
}

function parse(text: string): ApiAnswer | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null ? (value as ApiAnswer) : undefined
  } catch {
    return undefined
  }
}
