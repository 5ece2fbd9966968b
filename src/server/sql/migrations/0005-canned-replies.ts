/** Migration 0005: the team's canned replies, inserted in the inbox with `/name`. */
import type { SqlMigration } from './types'

export const cannedReplies: SqlMigration = async ({ run }) => {
  await run(`
    create table canned_replies (
      id text primary key,
      name text not null unique,
      text text not null,
      updated_at double precision not null
    )`)
}
