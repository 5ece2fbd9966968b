/** Accounts in memory: for tests and for servers embedded without a database. */
import { DuplicateEmailError, normalizeEmail, type Agent, type AccountStore, type ApiKey, type CannedReply, type OneTimeTokenKind, type StoredAgent, type StoredApiKey, type StoredOneTimeToken, type StoredSession } from './types'

export function createMemoryAccountStore(): AccountStore {
  const agents = new Map<string, StoredAgent>()
  const sessions = new Map<string, StoredSession>()
  const tokens = new Map<string, StoredOneTimeToken>()
  const apiKeys = new Map<string, StoredApiKey>()
  const publicKey = ({ hash: _hash, ...key }: StoredApiKey): ApiKey => ({ ...key, scopes: [...key.scopes] })
  const replies = new Map<string, CannedReply>()

  const publicAgent = ({ passwordHash: _hash, ...agent }: StoredAgent): Agent => ({ ...agent })
  const valid = (token: StoredOneTimeToken | undefined, kind: OneTimeTokenKind, now: number) =>
    token !== undefined && token.kind === kind && token.expiresAt > now

  return {
    async countAgents() {
      return agents.size
    },
    async createAgent(agent) {
      const email = normalizeEmail(agent.email)
      for (const other of agents.values()) if (other.email === email) throw new DuplicateEmailError(email)
      agents.set(agent.id, { ...agent, email })
    },
    async getAgent(id) {
      const agent = agents.get(id)
      return agent && { ...agent }
    },
    async findAgentByEmail(email) {
      const wanted = normalizeEmail(email)
      for (const agent of agents.values()) if (agent.email === wanted) return { ...agent }
      return undefined
    },
    async listAgents() {
      return [...agents.values()].sort((a, b) => a.createdAt - b.createdAt).map(publicAgent)
    },
    async removeAgent(id) {
      if (!agents.delete(id)) return false
      for (const [hash, session] of sessions) if (session.agentId === id) sessions.delete(hash)
      return true
    },
    async setPasswordHash(id, passwordHash) {
      const agent = agents.get(id)
      if (!agent) return false
      agents.set(id, { ...agent, passwordHash })
      return true
    },
    async createSession(session) {
      sessions.set(session.idHash, { ...session })
    },
    async getSession(idHash) {
      const session = sessions.get(idHash)
      return session && { ...session }
    },
    async deleteSession(idHash) {
      sessions.delete(idHash)
    },
    async deleteSessionsOf(agentId) {
      const ended: string[] = []
      for (const [hash, session] of sessions) {
        if (session.agentId !== agentId) continue
        sessions.delete(hash)
        ended.push(hash)
      }
      return ended
    },
    async createOneTimeToken(token) {
      tokens.set(token.hash, { ...token })
    },
    async consumeOneTimeToken(hash, kind, now) {
      const token = tokens.get(hash)
      if (!valid(token, kind, now)) return undefined
      tokens.delete(hash)
      return token
    },
    async peekOneTimeToken(hash, kind, now) {
      const token = tokens.get(hash)
      return valid(token, kind, now) ? { ...token! } : undefined
    },
    async createApiKey(key) {
      apiKeys.set(key.id, { ...key, scopes: [...key.scopes] })
    },
    async findApiKey(hash) {
      for (const key of apiKeys.values()) if (key.hash === hash) return { ...key, scopes: [...key.scopes] }
      return undefined
    },
    async listApiKeys() {
      return [...apiKeys.values()].sort((a, b) => a.createdAt - b.createdAt).map(publicKey)
    },
    async revokeApiKey(id, at) {
      const key = apiKeys.get(id)
      if (!key || key.revokedAt !== undefined) return false
      apiKeys.set(id, { ...key, revokedAt: at })
      return true
    },
    async setApiKeyLastUsed(id, at) {
      const key = apiKeys.get(id)
      if (key) apiKeys.set(id, { ...key, lastUsedAt: at })
    },
    async listCannedReplies() {
      return [...replies.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((reply) => ({ ...reply }))
    },
    async saveCannedReply(reply) {
      const earlier = [...replies.values()].find((other) => other.name === reply.name)
      const saved = { ...reply, id: earlier?.id ?? reply.id }
      replies.set(saved.id, saved)
      return { ...saved }
    },
    async deleteCannedReply(id) {
      return replies.delete(id)
    },
  }
}
