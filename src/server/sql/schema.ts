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
  /** The message's file as JSON (migration 0006). */
  attachment: string | null
  /** Its reactions as JSON (migration 0006). */
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
  canned_replies: CannedRepliesTable
}

/** The columns of one watermark, by role and kind. */
export const WATERMARK_COLUMN = {
  visitor: { delivered: 'visitor_delivered', read: 'visitor_read' },
  agent: { delivered: 'agent_delivered', read: 'agent_read' },
} as const satisfies Record<Role, Record<'delivered' | 'read', keyof ConversationsTable>>
