/**
 * The search query of each engine, over the index migration 0002 made. The words come from
 * `searchWords` (letters and digits only), so they cannot carry the index's query syntax; each
 * is matched as a word prefix, and a message must match them all.
 */
import type { RawBuilder } from 'kysely'
import type { SqlEngine } from './engine'
import type { MessagesTable } from './schema'

export function searchQuery(engine: SqlEngine, words: readonly string[], limit: number, before: number | undefined): RawBuilder<MessagesTable> {
  const { sql } = engine.kysely
  const earlier = before === undefined ? sql`` : sql`and m.created_at < ${before}`
  if (engine.kind === 'sqlite') {
    const match = words.map((word) => `"${word}"*`).join(' ')
    return sql<MessagesTable>`
      select m.* from message_search s join messages m on m.row_id = s.rowid
      where message_search match ${match} and m.deleted = 0 ${earlier}
      order by m.created_at desc, m.room_id desc, m.seq desc
      limit ${limit}`
  }
  const match = words.map((word) => `${word}:*`).join(' & ')
  return sql<MessagesTable>`
    select m.* from messages m
    where to_tsvector('simple', m.text) @@ to_tsquery('simple', ${match}) and m.deleted = 0 ${earlier}
    order by m.created_at desc, m.room_id collate "C" desc, m.seq desc
    limit ${limit}`
}
