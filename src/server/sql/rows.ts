/**
 * Rows as the protocol's records: optional fields are absent rather than null, flags are
 * booleans, and counts (which PostgreSQL returns as strings for bigint) are numbers.
 */
import type { Attachment, Author, MessageDelivery, Reaction, Role, VisitorContact, VisitorContext, WireMessage } from '../../protocol'
import type { ConversationSummary, StoredConversation } from '../store'
import type { ConversationsTable, MessagesTable } from './schema'

export function toMessage(row: MessagesTable): WireMessage {
  return {
    id: row.id,
    clientId: row.client_id,
    roomId: row.room_id,
    seq: row.seq,
    author: toAuthor(row.author_id, row.author_role, row.author_name, row.author_email),
    text: row.text,
    createdAt: row.created_at,
    ...(row.edited_at !== null && { editedAt: row.edited_at }),
    ...(Number(row.deleted) === 1 && { deleted: true }),
    ...(row.attachment !== null && row.attachment !== undefined && { attachment: JSON.parse(row.attachment) as Attachment }),
    ...(row.reactions !== null && row.reactions !== undefined && { reactions: JSON.parse(row.reactions) as Reaction[] }),
    ...(row.change_seq !== null && { changeSeq: row.change_seq }),
    ...(row.delivery !== null && row.delivery !== undefined && { delivery: JSON.parse(row.delivery) as MessageDelivery }),
  }
}

/** A message's file and reactions as their columns. */
export function jsonColumns(message: Pick<WireMessage, 'attachment' | 'reactions'>): Pick<MessagesTable, 'attachment' | 'reactions'> {
  return {
    attachment: message.attachment ? JSON.stringify(message.attachment) : null,
    reactions: message.reactions ? JSON.stringify(message.reactions) : null,
  }
}

export function authorColumns(author: Author): Pick<MessagesTable, 'author_id' | 'author_role' | 'author_name' | 'author_email'> {
  return { author_id: author.id, author_role: author.role, author_name: author.name ?? null, author_email: author.email ?? null }
}

export function toAuthor(id: string, role: Role, name: string | null, email: string | null): Author {
  return { id, role, ...(name !== null && { name }), ...(email !== null && { email }) }
}

/** A conversation row with its last message's columns, prefixed `lm_` (null when it has none). */
export type ConversationRow = ConversationsTable & { [K in keyof MessagesTable as `lm_${K}`]: MessagesTable[K] | null }

export function toConversation(row: ConversationRow): StoredConversation {
  return {
    roomId: row.room_id,
    visitor: toAuthor(row.visitor_id, row.visitor_role, row.visitor_name, row.visitor_email),
    status: row.status,
    ...(row.assignee_id !== null && { assignee: toAuthor(row.assignee_id, 'agent', row.assignee_name, null) }),
    ...(row.context !== null && { context: JSON.parse(row.context) as VisitorContext }),
    ...(row.contact !== null && { contact: JSON.parse(row.contact) as VisitorContact }),
    lastSeq: row.last_seq,
    lastChangeSeq: row.last_change_seq,
    ...(row.lm_id !== null && { lastMessage: toMessage(lastMessageOf(row)) }),
    watermarks: {
      visitor: { delivered: row.visitor_delivered, read: row.visitor_read },
      agent: { delivered: row.agent_delivered, read: row.agent_read },
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export function toSummary(
  row: ConversationRow & { unread_visitor: number | string; unread_agent: number | string; visitor_messages: number | string },
): ConversationSummary {
  return { ...toConversation(row), unread: { visitor: Number(row.unread_visitor), agent: Number(row.unread_agent) }, visitorMessages: Number(row.visitor_messages) }
}

function lastMessageOf(row: ConversationRow): MessagesTable {
  return {
    room_id: row.room_id,
    seq: row.last_seq,
    id: row.lm_id as string,
    client_id: row.lm_client_id as string,
    author_id: row.lm_author_id as string,
    author_role: row.lm_author_role as Role,
    author_name: row.lm_author_name,
    author_email: row.lm_author_email,
    text: row.lm_text as string,
    created_at: row.lm_created_at as number,
    edited_at: row.lm_edited_at,
    deleted: row.lm_deleted as number,
    change_seq: row.lm_change_seq,
    delivery: row.lm_delivery,
    attachment: row.lm_attachment,
    reactions: row.lm_reactions,
  }
}

/** The message columns read as the conversation's last message. */
export const LAST_MESSAGE_COLUMNS = [
  'id',
  'client_id',
  'author_id',
  'author_role',
  'author_name',
  'author_email',
  'text',
  'created_at',
  'edited_at',
  'deleted',
  'change_seq',
  'delivery',
  'attachment',
  'reactions',
] as const satisfies readonly (keyof MessagesTable)[]
