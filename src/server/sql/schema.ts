/**
 * The tables the SQL store reads and writes, as Kysely sees them (the migrations in
 * `migrations/` create them). Both engines hold the same columns with the same meaning:
 *
 * - Times are milliseconds since the epoch as double precision (SQLite REAL), because the stores
 *   keep timestamps exactly as given, fractions included.
 * - Seqs, change numbers and watermarks are 32-bit integers, which the drivers hand back as
 *   numbers (a room would need two billion messages to outgrow them).
 * - `deleted` is 0 or 1 on both engines (SQLite has no boolean type).
 * - A conversation's last message is not copied into the conversation: it is the message at
 *   `last_seq`, joined when read, so there is one source for it.
 */
import type { Generated } from 'kysely'
import type { ConversationStatus, Role } from '../../protocol'
import type { AgentRole, OneTimeTokenKind } from '../accounts/types'

export interface ConversationsTable {
  room_id: string
  /** One conversation per visitor: unique. */
  visitor_id: string
  visitor_role: Role
  visitor_name: string | null
  visitor_email: string | null
  status: ConversationStatus
  /** The assigned agent (migration 0004). */
  assignee_id: string | null
  assignee_name: string | null
  /** The visitor's context as JSON (migration 0004). */
  context: string | null
  /** What the visitor told the team, as JSON (migration 0008). */
  contact: string | null
  /** The highest seq e-mailed to the visitor (migration 0008). */
  followed_up_seq: number
  /** The room's seq counter: the next message takes last_seq + 1 under the row's write lock. */
  last_seq: number
  /** The room's change counter, likewise for edits and deletes. */
  last_change_seq: number
  visitor_delivered: number
  visitor_read: number
  agent_delivered: number
  agent_read: number
  created_at: number
  updated_at: number
}

export interface MessagesTable {
  room_id: string
  seq: number
  id: string
  client_id: string
  author_id: string
  author_role: Role
  author_name: string | null
  author_email: string | null
  text: string
  created_at: number
  edited_at: number | null
  deleted: number
  change_seq: number | null
  /** The message's delivery on its channel as JSON (migration 0005). */
  delivery: string | null
  /** The message's file as JSON (migration 0007). */
  attachment: string | null
  /** Its reactions as JSON (migration 0007). */
  reactions: string | null
}

export interface AgentsTable {
  id: string
  /** Lower-cased; unique. */
  email: string
  name: string
  role: AgentRole
  password_hash: string
  created_at: number
}

export interface AgentSessionsTable {
  id_hash: string
  agent_id: string
  created_at: number
  expires_at: number
}

export interface OneTimeTokensTable {
  hash: string
  kind: OneTimeTokenKind
  email: string | null
  name: string | null
  created_by: string | null
  expires_at: number
}

export interface ApiKeysTable {
  id: string
  name: string
  /** The key's first characters, to tell keys apart in lists. */
  prefix: string
  /** SHA-256 of the whole key (hex); the key itself is shown once and never stored. */
  hash: string
  /** Space-separated: `read`, `write`. */
  scopes: string
  created_by: string | null
  created_at: number
  last_used_at: number | null
  revoked_at: number | null
}

export interface WebhookSubscriptionsTable {
  id: string
  url: string
  /** Space-separated event types. */
  events: string
  /** Signs every delivery; needed as it is, so stored as it is (the database is the secret's keeper). */
  secret: string
  created_by: string | null
  created_at: number
}

export type OutboxState = 'pending' | 'delivered' | 'failed'

export interface OutboxTable {
  /** Generated: the order deliveries were queued in. */
  id: Generated<number>
  /** `webhook:<subscription id>` or `whatsapp`. */
  queue: string
  /** What the receiver deduplicates on; unique per queue. */
  event_id: string
  event_type: string
  /** Deliveries of one queue and room go out one after the other, in id order. */
  room_id: string
  body: string
  state: OutboxState
  attempts: number
  created_at: number
  next_attempt_at: number
  /** A worker that took the delivery holds it until then (another node's worker leaves it alone). */
  locked_until: number
  last_attempt_at: number | null
  last_status: number | null
  last_error: string | null
  last_response: string | null
  done_at: number | null
}

export interface WhatsappMessagesTable {
  wamid: string
  room_id: string
  message_id: string
  created_at: number
}

/** One agent's own read mark in one conversation (migration 0009). */
export interface AgentReadsTable {
  room_id: string
  agent_id: string
  up_to_seq: number
}

export interface CannedRepliesTable {
  id: string
  name: string
  text: string
  updated_at: number
}

export interface Database {
  conversations: ConversationsTable
  messages: MessagesTable
  agents: AgentsTable
  agent_sessions: AgentSessionsTable
  one_time_tokens: OneTimeTokensTable
  api_keys: ApiKeysTable
  webhook_subscriptions: WebhookSubscriptionsTable
  outbox: OutboxTable
  whatsapp_messages: WhatsappMessagesTable
  canned_replies: CannedRepliesTable
  agent_reads: AgentReadsTable
}

/** The columns of one watermark, by role and kind. */
export const WATERMARK_COLUMN = {
  visitor: { delivered: 'visitor_delivered', read: 'visitor_read' },
  agent: { delivered: 'agent_delivered', read: 'agent_read' },
} as const satisfies Record<Role, Record<'delivered' | 'read', keyof ConversationsTable>>
