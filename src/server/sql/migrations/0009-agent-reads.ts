/**
 * Migration 0009: each agent's own read mark per conversation (the team's mark stays on the
 * conversation, for the visitor's ticks). A row exists once the agent has opened the conversation.
 * Accounts that existed before keep what the team had read: until now they shared its mark, so
 * nothing they had read turns unread on upgrade.
 */
import type { SqlMigration } from './types'

export const agentReads: SqlMigration = async ({ run }) => {
  await run(`
    create table agent_reads (
      room_id text not null,
      agent_id text not null,
      up_to_seq integer not null,
      primary key (room_id, agent_id)
    )`)
  await run(`
    insert into agent_reads (room_id, agent_id, up_to_seq)
    select c.room_id, a.id, c.agent_read from conversations c cross join agents a where c.agent_read > 0`)
}
