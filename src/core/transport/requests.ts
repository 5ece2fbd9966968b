/**
 * The requests a client makes, each with the schema its answer is checked against, so that a
 * request and its ack are typed by the event's name on this side as on the server's.
 */
import type { InferOutput } from 'valibot'
import { schemas, type ClientToServerEvents } from '../../protocol'

/**
 * The requests this client waits for an answer to, each with its schema (`schemas.ackOf` has
 * every request's; only these are named here, so a bundle carries only the schemas it uses).
 */
export const ACK_SCHEMAS = {
  join_room: schemas.acks.join_room,
  send_message: schemas.acks.message,
  edit_message: schemas.acks.message,
  delete_message: schemas.acks.message,
  react_message: schemas.acks.message,
  get_history: schemas.acks.history,
  get_changes: schemas.acks.changes,
  set_conversation_status: schemas.acks.conversation,
  list_conversations: schemas.acks.conversations,
  update_contact: schemas.acks.contact,
  assign_conversation: schemas.acks.conversation,
  search_messages: schemas.acks.search,
} satisfies Partial<typeof schemas.ackOf>

/** Requests that wait for an answer. */
export type RequestName = keyof typeof ACK_SCHEMAS
/** Requests nobody waits for: lost with a dead socket, and resent as state on the next join. */
export type NotificationName = Exclude<keyof ClientToServerEvents, RequestName>

export type RequestOf<K extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[K]>[0]
export type AckOf<K extends RequestName> = InferOutput<(typeof ACK_SCHEMAS)[K]>
