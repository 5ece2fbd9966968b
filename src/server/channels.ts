/**
 * Which channel a conversation comes from, derived from its visitor's id (one source for the
 * fact): the widget's visitors have ids the server issued (random, or `user:` for identified
 * ones), and a WhatsApp contact is `whatsapp:<wa_id>`, an id no socket can claim because only ids
 * the server signed are accepted in a handshake. A WhatsApp conversation's room is the one its
 * visitor id derives (`visitorRoomId`), so each wa_id has one conversation, like each visitor.
 */
import { RESERVED_CLIENT_ID_PREFIXES, type Channel } from '../protocol'

const WHATSAPP = 'whatsapp:'

export const whatsappVisitorId = (waId: string): string => `${WHATSAPP}${waId}`

/** The wa_id of a WhatsApp visitor id, or undefined for any other visitor. */
export const waIdOf = (visitorId: string): string | undefined => (visitorId.startsWith(WHATSAPP) ? visitorId.slice(WHATSAPP.length) : undefined)

export function channelOf(visitorId: string): Channel | undefined {
  return visitorId.startsWith(WHATSAPP) ? 'whatsapp' : undefined
}

/** The idempotency key of a message WhatsApp delivered: its WhatsApp message id. */
export const whatsappClientId = (wamid: string): string => `${WHATSAPP}${wamid}`

/** True for a clientId only the server may give (see `RESERVED_CLIENT_ID_PREFIXES`). */
export function isReservedClientId(clientId: string): boolean {
  return RESERVED_CLIENT_ID_PREFIXES.some((prefix) => clientId.startsWith(prefix))
}
