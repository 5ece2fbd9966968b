/**
 * Migration 0001: conversations and their messages. The same tables on both engines; SQLite's
 * messages get an explicit integer key because the search index (0002) refers to rows by rowid,
 * and SQLite may renumber implicit rowids when it vacuums.
 */
import type { SqlMigration } from './types'

export const conversations: SqlMigration = async ({ run, engine }) => {
  await run(`
    create table conversations (
      room_id text primary key,
      visitor_id text not null unique,
      visitor_role text not null,
      visitor_name text,
      visitor_email text,
      status text not null,
      last_seq integer not null default 0,
      last_change_seq integer not null default 0,
      visitor_delivered integer not null default 0,
      visitor_read integer not null default 0,
      agent_delivered integer not null default 0,
      agent_read integer not null default 0,
      created_at double precision not null,
      updated_at double precision not null
    )`)
  // The agents' list: newest activity first (summary-order.ts).
  await run('create index conversations_by_activity on conversations (updated_at desc, created_at desc, room_id)')
  // Retention: closed conversations by age.
  await run('create index conversations_by_status on conversations (status, updated_at)')

  await run(`
    create table messages (
      ${engine === 'sqlite' ? 'row_id integer primary key,' : ''}
      room_id text not null references conversations (room_id),
      seq integer not null,
      id text not null,
      client_id text not null,
      author_id text not null,
      author_role text not null,
      author_name text,
      author_email text,
      text text not null,
      created_at double precision not null,
      edited_at double precision,
      deleted integer not null default 0,
      change_seq integer,
      ${engine === 'sqlite' ? 'unique (room_id, seq)' : 'primary key (room_id, seq)'}
    )`)
  // The idempotency key, and lookups by id.
  await run('create unique index messages_by_client_id on messages (room_id, client_id)')
  await run('create unique index messages_by_id on messages (room_id, id)')
  // Unread counts: one side's messages above the other side's read mark.
  await run('create index messages_by_role on messages (room_id, author_role, seq)')
  // get_changes: edited and deleted messages in change order.
  await run('create index messages_by_change on messages (room_id, change_seq) where change_seq is not null')
}
