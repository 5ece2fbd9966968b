/**
 * Migration 0004: who a conversation is assigned to, and what the visitor's browser last reported
 * (JSON), with an index for the agents' filtered lists (status and assignee, newest first).
 */
import type { SqlMigration } from './types'

export const assignmentAndContext: SqlMigration = async ({ run }) => {
  await run('alter table conversations add column assignee_id text')
  await run('alter table conversations add column assignee_name text')
  await run('alter table conversations add column context text')
  await run('create index conversations_by_assignee on conversations (assignee_id, status, updated_at desc)')
}
