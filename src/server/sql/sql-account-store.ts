/**
 * Agent accounts on the SQL database the conversations live in (migration 0003), so that the
 * command line and every node see the same accounts. Sessions of a removed agent go with it
 * (deleted in the same transaction; the foreign key also cascades).
 */
import type { AccountStore, Agent, ApiKey, ApiScope, CannedReply, OneTimeTokenKind, StoredAgent, StoredApiKey, StoredOneTimeToken } from '../accounts/types'
import { DuplicateEmailError, normalizeEmail } from '../accounts/types'
import type { SqlEngine } from './engine'
import type { AgentsTable, ApiKeysTable, OneTimeTokensTable } from './schema'

export class SqlAccountStore implements AccountStore {
  constructor(private readonly engine: SqlEngine) {}

  private get db() {
    return this.engine.db
  }

  async countAgents(): Promise<number> {
    const row = await this.db.selectFrom('agents').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
    return Number(row.count)
  }

  async createAgent(agent: StoredAgent): Promise<void> {
    const email = normalizeEmail(agent.email)
    try {
      await this.engine.write(async (tx) => {
        if (await tx.selectFrom('agents').select('id').where('email', '=', email).executeTakeFirst()) throw new DuplicateEmailError(email)
        await tx
          .insertInto('agents')
          .values({ id: agent.id, email, name: agent.name, role: agent.role, password_hash: agent.passwordHash, created_at: agent.createdAt })
          .execute()
      })
    } catch (error) {
      // Two nodes creating one address at once: the unique index stops the second.
      const code = (error as { code?: string }).code
      if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE') throw new DuplicateEmailError(email)
      throw error
    }
  }

  async getAgent(id: string): Promise<StoredAgent | undefined> {
    const row = await this.db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst()
    return row && toAgent(row)
  }

  async findAgentByEmail(email: string): Promise<StoredAgent | undefined> {
    const row = await this.db.selectFrom('agents').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst()
    return row && toAgent(row)
  }

  async listAgents(): Promise<Agent[]> {
    const rows = await this.db.selectFrom('agents').selectAll().orderBy('created_at').orderBy('id').execute()
    return rows.map((row) => {
      const { passwordHash: _hash, ...agent } = toAgent(row)
      return agent
    })
  }

  async removeAgent(id: string): Promise<boolean> {
    return this.engine.write(async (tx) => {
      await tx.deleteFrom('agent_sessions').where('agent_id', '=', id).execute()
      const result = await tx.deleteFrom('agents').where('id', '=', id).executeTakeFirst()
      return Number(result.numDeletedRows) > 0
    })
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<boolean> {
    const result = await this.db.updateTable('agents').set({ password_hash: passwordHash }).where('id', '=', id).executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  async createSession(session: { idHash: string; agentId: string; createdAt: number; expiresAt: number }): Promise<void> {
    await this.db
      .insertInto('agent_sessions')
      .values({ id_hash: session.idHash, agent_id: session.agentId, created_at: session.createdAt, expires_at: session.expiresAt })
      .execute()
  }

  async getSession(idHash: string) {
    const row = await this.db.selectFrom('agent_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst()
    return row && { idHash: row.id_hash, agentId: row.agent_id, createdAt: Number(row.created_at), expiresAt: Number(row.expires_at) }
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('agent_sessions').where('id_hash', '=', idHash).execute()
  }

  async deleteSessionsOf(agentId: string): Promise<string[]> {
    return this.engine.write(async (tx) => {
      const rows = await tx.selectFrom('agent_sessions').select('id_hash').where('agent_id', '=', agentId).execute()
      await tx.deleteFrom('agent_sessions').where('agent_id', '=', agentId).execute()
      return rows.map((row) => row.id_hash)
    })
  }

  async createOneTimeToken(token: StoredOneTimeToken): Promise<void> {
    await this.db
      .insertInto('one_time_tokens')
      .values({ hash: token.hash, kind: token.kind, email: token.email ?? null, name: token.name ?? null, created_by: token.createdBy ?? null, expires_at: token.expiresAt })
      .execute()
  }

  async consumeOneTimeToken(hash: string, kind: OneTimeTokenKind, now: number): Promise<StoredOneTimeToken | undefined> {
    return this.engine.write(async (tx) => {
      const row = await tx.selectFrom('one_time_tokens').selectAll().where('hash', '=', hash).executeTakeFirst()
      if (!row || row.kind !== kind || Number(row.expires_at) <= now) return undefined
      // Deleted in the same transaction: of two racing uses, one gets the token.
      const deleted = await tx.deleteFrom('one_time_tokens').where('hash', '=', hash).executeTakeFirst()
      return Number(deleted.numDeletedRows) > 0 ? toToken(row) : undefined
    })
  }

  async peekOneTimeToken(hash: string, kind: OneTimeTokenKind, now: number): Promise<StoredOneTimeToken | undefined> {
    const row = await this.db.selectFrom('one_time_tokens').selectAll().where('hash', '=', hash).executeTakeFirst()
    return row && row.kind === kind && Number(row.expires_at) > now ? toToken(row) : undefined
  }

  async createApiKey(key: StoredApiKey): Promise<void> {
    await this.db
      .insertInto('api_keys')
      .values({
        id: key.id,
        name: key.name,
        prefix: key.prefix,
        hash: key.hash,
        scopes: key.scopes.join(' '),
        created_by: key.createdBy ?? null,
        created_at: key.createdAt,
        last_used_at: key.lastUsedAt ?? null,
        revoked_at: key.revokedAt ?? null,
      })
      .execute()
  }

  async findApiKey(hash: string): Promise<StoredApiKey | undefined> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('hash', '=', hash).executeTakeFirst()
    return row && { ...toApiKey(row), hash: row.hash }
  }

  async listApiKeys(): Promise<ApiKey[]> {
    const rows = await this.db.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('id').execute()
    return rows.map(toApiKey)
  }

  async revokeApiKey(id: string, at: number): Promise<boolean> {
    const result = await this.db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  async setApiKeyLastUsed(id: string, at: number): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute()
  }

  async listCannedReplies(): Promise<CannedReply[]> {
    const rows = await this.db.selectFrom('canned_replies').selectAll().orderBy('name').execute()
    return rows.map((row) => ({ id: row.id, name: row.name, text: row.text, updatedAt: Number(row.updated_at) }))
  }

  async saveCannedReply(reply: CannedReply): Promise<CannedReply> {
    return this.engine.write(async (tx) => {
      const earlier = await tx.selectFrom('canned_replies').select('id').where('name', '=', reply.name).executeTakeFirst()
      const saved = { ...reply, id: earlier?.id ?? reply.id }
      if (earlier) await tx.updateTable('canned_replies').set({ text: saved.text, updated_at: saved.updatedAt }).where('id', '=', saved.id).execute()
      else await tx.insertInto('canned_replies').values({ id: saved.id, name: saved.name, text: saved.text, updated_at: saved.updatedAt }).execute()
      return saved
    })
  }

  async deleteCannedReply(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('canned_replies').where('id', '=', id).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }
}

function toAgent(row: AgentsTable): StoredAgent {
  return { id: row.id, email: row.email, name: row.name, role: row.role, passwordHash: row.password_hash, createdAt: Number(row.created_at) }
}

function toToken(row: OneTimeTokensTable): StoredOneTimeToken {
  return {
    hash: row.hash,
    kind: row.kind,
    ...(row.email !== null && { email: row.email }),
    ...(row.name !== null && { name: row.name }),
    ...(row.created_by !== null && { createdBy: row.created_by }),
    expiresAt: Number(row.expires_at),
  }
}

function toApiKey(row: ApiKeysTable): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes.split(' ').filter(Boolean) as ApiScope[],
    ...(row.created_by !== null && { createdBy: row.created_by }),
    createdAt: Number(row.created_at),
    ...(row.last_used_at !== null && { lastUsedAt: Number(row.last_used_at) }),
    ...(row.revoked_at !== null && { revokedAt: Number(row.revoked_at) }),
  }
}
