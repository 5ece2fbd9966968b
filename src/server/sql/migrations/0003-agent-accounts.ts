/**
 * Migration 0003: agent accounts, their sign-in sessions and one-time tokens (setup link,
 * invites). Secrets are stored as hashes only (accounts/tokens.ts, accounts/passwords.ts).
 */
import type { SqlMigration } from './types'

export const agentAccounts: SqlMigration = async ({ run }) => {
  await run(`
    create table agents (
      id text primary key,
      email text not null unique,
      name text not null,
      role text not null,
      password_hash text not null,
      created_at double precision not null
    )`)
  await run(`
    create table agent_sessions (
      id_hash text primary key,
      agent_id text not null references agents (id) on delete cascade,
      created_at double precision not null,
      expires_at double precision not null
    )`)
  await run('create index agent_sessions_by_agent on agent_sessions (agent_id)')
  await run(`
    create table one_time_tokens (
      hash text primary key,
      kind text not null,
      email text,
      name text,
      created_by text,
      expires_at double precision not null
    )`)
}
