/**
 * Agent accounts: who may answer visitors. An account store keeps agents (with a password hash),
 * their sign-in sessions and one-time tokens (the owner's setup link, invites). Secrets are never
 * stored as they are: sessions and one-time tokens by their SHA-256, passwords by scrypt.
 */

export type AgentRole = 'owner' | 'agent'

export interface Agent {
  id: string
  email: string
  name: string
  role: AgentRole
  createdAt: number
}

export interface StoredAgent extends Agent {
  /** `scrypt$N$r$p$salt$hash`, see passwords.ts. */
  passwordHash: string
}

export interface StoredSession {
  /** SHA-256 of the session id the cookie carries. */
  idHash: string
  agentId: string
  createdAt: number
  expiresAt: number
}

export type OneTimeTokenKind = 'setup' | 'invite'

export interface StoredOneTimeToken {
  /** SHA-256 of the token the link carries. */
  hash: string
  kind: OneTimeTokenKind
  /** Invites: the address the invite was sent for. */
  email?: string
  name?: string
  createdBy?: string
  expiresAt: number
}

/** What a REST API key may do: `read` (GET) and `write` (everything that changes something). */
export type ApiScope = 'read' | 'write'
export const API_SCOPES: readonly ApiScope[] = ['read', 'write']

export interface ApiKey {
  id: string
  name: string
  /** The key's first characters (`obk_…`), to tell keys apart; the key itself is shown once. */
  prefix: string
  scopes: ApiScope[]
  /** The owner who made it; absent when made on the command line. */
  createdBy?: string
  createdAt: number
  lastUsedAt?: number
  revokedAt?: number
}

export interface StoredApiKey extends ApiKey {
  /** SHA-256 of the whole key. */
  hash: string
}

/** A saved answer agents insert with `/name` (team-wide). */
export interface CannedReply {
  id: string
  /** The shortcut after `/`: lower-case letters, digits, `-` and `_`; unique. */
  name: string
  text: string
  updatedAt: number
}

export interface AccountStore {
  countAgents(): Promise<number>
  /** Refuses (rejects `DuplicateEmailError`) an email another agent has, compared case-insensitively. */
  createAgent(agent: StoredAgent): Promise<void>
  getAgent(id: string): Promise<StoredAgent | undefined>
  findAgentByEmail(email: string): Promise<StoredAgent | undefined>
  listAgents(): Promise<Agent[]>
  /** Removes the agent and every session of it; false when there was none. */
  removeAgent(id: string): Promise<boolean>
  setPasswordHash(id: string, passwordHash: string): Promise<boolean>

  createSession(session: StoredSession): Promise<void>
  getSession(idHash: string): Promise<StoredSession | undefined>
  deleteSession(idHash: string): Promise<void>
  /** Ends every session of the agent (a password reset); returns their hashes. */
  deleteSessionsOf(agentId: string): Promise<string[]>

  createOneTimeToken(token: StoredOneTimeToken): Promise<void>
  /** Takes the token (it can be used once) if it exists, is of `kind` and has not expired by `now`. */
  consumeOneTimeToken(hash: string, kind: OneTimeTokenKind, now: number): Promise<StoredOneTimeToken | undefined>
  /** Looks without taking. */
  peekOneTimeToken(hash: string, kind: OneTimeTokenKind, now: number): Promise<StoredOneTimeToken | undefined>

  createApiKey(key: StoredApiKey): Promise<void>
  /** The key with this hash, revoked or not. */
  findApiKey(hash: string): Promise<StoredApiKey | undefined>
  /** Every key, revoked ones too, oldest first, without hashes. */
  listApiKeys(): Promise<ApiKey[]>
  /** Marks the key revoked at `at`; false when there is no such key or it was revoked already. */
  revokeApiKey(id: string, at: number): Promise<boolean>
  setApiKeyLastUsed(id: string, at: number): Promise<void>
  /** By name. */
  listCannedReplies(): Promise<CannedReply[]>
  /** Creates or replaces the reply with this name; returns it as stored (the id of an earlier one is kept). */
  saveCannedReply(reply: CannedReply): Promise<CannedReply>
  /** False when there was none. */
  deleteCannedReply(id: string): Promise<boolean>
}

export class DuplicateEmailError extends Error {
  constructor(email: string) {
    super(`An agent with the email ${email} exists already`)
    this.name = 'DuplicateEmailError'
  }
}

/** Emails are compared and stored lower-cased and trimmed. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase()
