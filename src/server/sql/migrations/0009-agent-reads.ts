/**
 * Migration 0009: each agent's own read mark per conversation (the team's mark stays on the
 * conversation, for the visitor's ticks). A row exists once the agent has opened the conversation.
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
}
