/**
 * What webhooks tell (README "Webhooks"): each event is `{ id, type, createdAt, data }`, where
 * `data` holds the conversation as agents see it and, for message events, the message. Ids are
 * the same however often an event is queued (a retried request queues it again): receivers
 * deduplicate on them.
 */
import { randomUUID } from 'node:crypto'
import type { Conversation, WireMessage } from '../../protocol'

export const WEBHOOK_EVENTS = [
  'conversation.created',
  'conversation.status_changed',
  'conversation.assigned',
  'message.created',
  'message.updated',
  'message.deleted',
] as const

export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number]

export interface WebhookEvent {
  id: string
  type: WebhookEventType
  /** When it was queued (ms). */
  createdAt: number
  data: { conversation: Conversation; message?: WireMessage }
}

/** The id of an event: fixed by what happened for message events and a conversation's creation, new for each status or assignee change. */
export function eventId(type: WebhookEventType, conversation: Conversation, message?: WireMessage): string {
  switch (type) {
    case 'conversation.created':
      return `evt_${conversation.roomId}.created.${conversation.createdAt}`
    case 'message.created':
      return `evt_${message!.id}.created`
    case 'message.updated':
    case 'message.deleted':
      return `evt_${message!.id}.change${message!.changeSeq ?? 0}`
    default:
      return `evt_${randomUUID()}`
  }
}
