/**
 * Migration 0002: the text index behind `searchMessages`. SQLite: an FTS5 table over the messages'
 * text (external content: the text is stored once, in messages), kept current by triggers;
 * `unicode61` without diacritic folding, so it splits and folds words as the other stores do.
 * PostgreSQL: a GIN index on the text's `simple` tsvector (lower-cased words, no stemming, so
 * Indonesian and English are treated alike).
 */
import type { SqlMigration } from './types'

export const messageSearch: SqlMigration = async ({ run, engine }) => {
  if (engine === 'postgres') {
    await run("create index messages_search on messages using gin (to_tsvector('simple', text))")
    return
  }
  await run(`
    create virtual table message_search using fts5(
      text, content = 'messages', content_rowid = 'row_id', tokenize = 'unicode61 remove_diacritics 0'
    )`)
  await run(`
    create trigger messages_search_insert after insert on messages begin
      insert into message_search (rowid, text) values (new.row_id, new.text);
    end`)
  await run(`
    create trigger messages_search_delete after delete on messages begin
      insert into message_search (message_search, rowid, text) values ('delete', old.row_id, old.text);
    end`)
  await run(`
    create trigger messages_search_update after update of text on messages begin
      insert into message_search (message_search, rowid, text) values ('delete', old.row_id, old.text);
      insert into message_search (rowid, text) values (new.row_id, new.text);
    end`)
  // Messages stored before this migration.
  await run("insert into message_search (message_search) values ('rebuild')")
}
