/**
 * Migration 0008: what the visitor told the team (the pre-chat form and the away e-mail, as
 * JSON), and the highest seq already e-mailed to the visitor, so a reply is e-mailed once.
 */
import type { SqlMigration } from './types'

export const visitorContact: SqlMigration = async ({ run }) => {
  await run('alter table conversations add column contact text')
  await run('alter table conversations add column followed_up_seq integer not null default 0')
}
