/**
 * SQL migration 0009 on a database made by the version before it: agents who shared the team's
 * read mark until then keep it as their own, so nothing they had read turns unread on upgrade.
 * Real SQLite, the migrations' own statements.
 */
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../src/server/sql/migrations'

describe('migration 0009 (each agent’s own read marks)', () => {
  it('gives existing accounts the team’s read mark of every conversation the team had read', async () => {
    const db = new Database(':memory:')
    const step = { engine: 'sqlite' as const, run: async (statement: string) => void db.exec(statement) }
    const upgrade = MIGRATIONS.findIndex(([name]) => name === '0009-agent-reads')
    for (const [, migration] of MIGRATIONS.slice(0, upgrade)) await migration(step)

    const agent = db.prepare('insert into agents (id, email, name, role, password_hash, created_at) values (?, ?, ?, ?, ?, 0)')
    agent.run('a-sari', 'sari@toko.example', 'Sari', 'owner', 'x')
    agent.run('a-budi', 'budi@toko.example', 'Budi', 'agent', 'x')
    const room = db.prepare("insert into conversations (room_id, visitor_id, visitor_role, status, last_seq, agent_read, created_at, updated_at) values (?, ?, 'visitor', 'open', ?, ?, 0, 0)")
    room.run('r-read', 'v1', 5, 4)
    room.run('r-unread', 'v2', 2, 0)

    await MIGRATIONS[upgrade]![1](step)
    const marks = db.prepare('select room_id, agent_id, up_to_seq from agent_reads order by room_id, agent_id').all()
    expect(marks).toEqual([
      { room_id: 'r-read', agent_id: 'a-budi', up_to_seq: 4 },
      { room_id: 'r-read', agent_id: 'a-sari', up_to_seq: 4 },
    ])
    db.close()
  })
})
