/**
 * The requests a client makes, each with the schema its answer is checked against, so that a
 * request and its ack are typed by the event's name on this side as on the server's.
 */
import type { InferOutput } from 'valibot'
import { schemas, type ClientToServerEvents } from '../../protocol'

const { ackOf } = schemas

/** The requests this client waits for an answer to, each checked with the protocol's schema. */
export const ACK_SCHEMAS = {
  join_room: ackOf.join_room,
  send_message: ackOf.send_message,
  edit_message: ackOf.edit_message,
  delete_message: ackOf.delete_message,
  get_history: ackOf.get_history,
  get_changes: ackOf.get_changes,
  set_conversation_status: ackOf.set_conversation_status,
  list_conversations: ackOf.list_conversations,
}

/** Requests that wait for an answer. */
export type RequestName = keyof typeof ACK_SCHEMAS
/** Requests nobody waits for: lost with a dead socket, and resent as state on the next join. */
export type NotificationName = Exclude<keyof ClientToServerEvents, RequestName>

export type RequestOf<K extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[K]>[0]
export type AckOf<K extends RequestName> = InferOutput<(typeof ACK_SCHEMAS)[K]>
