/**
 * Every id the server makes, in one place: stores mint none. Message and visitor ids are random;
 * a visitor's room id is derived from the visitor id, so a visitor can be told its room before
 * the conversation exists (it is created by the first message) without writing anything.
 */
import { createHmac, randomUUID } from 'node:crypto'

export const newMessageId = (): string => randomUUID()

export const newVisitorId = (): string => randomUUID()

/**
 * The room a visitor's first message creates. Keyed with the server secret so that room ids,
 * which agents and presence see, reveal nothing about visitor ids; 22 base64url characters fit
 * the REST routes' id pattern.
 */
export function visitorRoomId(secret: string, visitorId: string): string {
  return createHmac('sha256', secret).update(`room\0${visitorId}`).digest('base64url').slice(0, 22)
}
