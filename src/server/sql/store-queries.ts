/**
 * The SQL store's shared reads: conversations with their last message and unread counts (what
 * lists and announcements need, in one query), a room's counters locked for a write, and counts
 * of the visitor's messages.
 */
import type { Kysely } from 'kysely'
import { NotFoundError } from '../store'
import type { SqlEngine } from './engine'
import type { Database } from './schema'

export async function visitorMessagesUpTo(tx: Kysely<Database>, roomId: string, upToSeq: number): Promise<number> {
  const { count } = await tx
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('room_id', '=', roomId)
    .where('author_role', '=', 'visitor')
    .where('seq', '<=', upToSeq)
    .executeTakeFirstOrThrow()
  return Number(count)
}

/** The room's counters, locked for the rest of the transaction; NotFoundError when it has none. */
export async function lockRoom(engine: SqlEngine, tx: Kysely<Database>, roomId: string) {
  const room = await tx
    .selectFrom('conversations')
    .select(['last_seq', 'last_change_seq', 'updated_at', 'visitor_delivered', 'visitor_read', 'agent_delivered', 'agent_read'])
    .where('room_id', '=', roomId)
    .$if(engine.rowLocks, (select) => select.forUpdate())
    .executeTakeFirst()
  if (!room) throw new NotFoundError(`conversation ${roomId}`)
  return room
}

export async function requireRoom(engine: SqlEngine, roomId: string): Promise<void> {
  const room = await engine.db.selectFrom('conversations').select('room_id').where('room_id', '=', roomId).executeTakeFirst()
  if (!room) throw new NotFoundError(`conversation ${roomId}`)
}

/** Conversations with their last message (the one at last_seq) joined in. */
export function conversationsWithLastMessage(engine: SqlEngine) {
  return engine.db
    .selectFrom('conversations as c')
    .leftJoin('messages as m', (join) => join.onRef('m.room_id', '=', 'c.room_id').onRef('m.seq', '=', 'c.last_seq'))
    .selectAll('c')
    .select([
      'm.id as lm_id',
      'm.client_id as lm_client_id',
      'm.author_id as lm_author_id',
      'm.author_role as lm_author_role',
      'm.author_name as lm_author_name',
      'm.author_email as lm_author_email',
      'm.text as lm_text',
      'm.created_at as lm_created_at',
      'm.edited_at as lm_edited_at',
      'm.deleted as lm_deleted',
      'm.change_seq as lm_change_seq',
      'm.delivery as lm_delivery',
      'm.attachment as lm_attachment',
      'm.reactions as lm_reactions',
    ])
}

/** Conversations with their unread counts, in the same query: each side's messages above the other's read mark. */
export function summaries(engine: SqlEngine) {
  const { sql } = engine.kysely
  return conversationsWithLastMessage(engine).select([
    sql<number>`(select count(*) from messages u where u.room_id = c.room_id and u.author_role = 'agent' and u.seq > c.visitor_read)`.as('unread_visitor'),
    sql<number>`(select count(*) from messages u where u.room_id = c.room_id and u.author_role = 'visitor' and u.seq > c.agent_read)`.as('unread_agent'),
    sql<number>`(select count(*) from messages u where u.room_id = c.room_id and u.author_role = 'visitor')`.as('visitor_messages'),
  ])
}
