/**
 * What agents can do with their accounts, independent of HTTP: the owner's first setup, signing
 * in and out, invites, removal, and the short-lived tokens their sockets connect with. The HTTP
 * routes (auth-routes.ts) and the command line both go through here.
 */
import { randomUUID } from 'node:crypto'
import type { Author } from '../../protocol'
import { normalizeDisplayName } from '../../protocol'
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from './passwords'
import { randomToken, readSocketToken, sha256, signSocketToken, SOCKET_TOKEN_TTL_MS } from './tokens'
import { DuplicateEmailError, normalizeEmail, type AccountStore, type Agent, type AgentRole, type StoredAgent } from './types'

/** Refusals the routes turn into status codes; the message is meant for the person. */
export class AccountError extends Error {
  constructor(
    readonly code: 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'gone',
    message: string,
  ) {
    super(message)
    this.name = 'AccountError'
  }
}

export const SESSION_TTL_MS = 14 * 24 * 3600_000
export const SETUP_TOKEN_TTL_MS = 24 * 3600_000
export const INVITE_TTL_MS = 7 * 24 * 3600_000

export interface SignedIn {
  agent: Agent
  /** Goes into the session cookie; only its hash is stored. */
  sessionId: string
  expiresAt: number
}

export interface AccountsOptions {
  store: AccountStore
  /** The server secret, which signs socket tokens (every node has the same). */
  secret: string
  now: () => number
}

export type Accounts = ReturnType<typeof createAccounts>

export function createAccounts({ store, secret, now }: AccountsOptions) {
  async function startSession(agent: StoredAgent): Promise<SignedIn> {
    const sessionId = randomToken()
    const createdAt = now()
    const expiresAt = createdAt + SESSION_TTL_MS
    await store.createSession({ idHash: sha256(sessionId), agentId: agent.id, createdAt, expiresAt })
    return { agent: publicAgent(agent), sessionId, expiresAt }
  }

  async function createAgent(input: { email: unknown; name: unknown; password: unknown; role: AgentRole }): Promise<StoredAgent> {
    const email = checkEmail(input.email)
    const name = checkName(input.name)
    const problem = passwordProblem(input.password)
    if (problem) throw new AccountError('bad_request', problem)
    const agent: StoredAgent = { id: randomUUID(), email, name, role: input.role, createdAt: now(), passwordHash: await hashPassword(input.password as string) }
    try {
      await store.createAgent(agent)
    } catch (error) {
      if (error instanceof DuplicateEmailError) throw new AccountError('conflict', error.message)
      throw error
    }
    return agent
  }

  /** The agent a live session belongs to, or undefined (expired, signed out, agent removed). */
  async function sessionAgent(sessionId: string): Promise<StoredAgent | undefined> {
    const session = await store.getSession(sha256(sessionId))
    if (!session || session.expiresAt <= now()) return undefined
    return store.getAgent(session.agentId)
  }

  return {
    setupNeeded: async (): Promise<boolean> => (await store.countAgents()) === 0,

    /** A link for the first owner; only while no account exists. */
    async createSetupToken(): Promise<{ token: string; expiresAt: number }> {
      const token = randomToken()
      const expiresAt = now() + SETUP_TOKEN_TTL_MS
      await store.createOneTimeToken({ hash: sha256(token), kind: 'setup', expiresAt })
      return { token, expiresAt }
    },

    async setupOwner(input: { token: unknown; name: unknown; email: unknown; password: unknown }): Promise<SignedIn> {
      if (typeof input.token !== 'string') throw new AccountError('bad_request', 'token is missing')
      if ((await store.countAgents()) > 0) throw new AccountError('gone', 'This server is set up already; sign in instead')
      if (!(await store.peekOneTimeToken(sha256(input.token), 'setup', now()))) throw new AccountError('gone', 'This setup link is used or expired; restart the server for a new one')
      const agent = await createAgent({ ...input, role: 'owner' })
      await store.consumeOneTimeToken(sha256(input.token), 'setup', now())
      return startSession(agent)
    },

    async signIn(email: unknown, password: unknown): Promise<SignedIn> {
      const wrong = new AccountError('unauthorized', 'Wrong email or password')
      if (typeof email !== 'string' || typeof password !== 'string' || password.length > 1024) throw wrong
      const agent = await store.findAgentByEmail(email)
      // The same work whether or not the address has an account.
      const matches = await verifyPassword(password, agent?.passwordHash ?? (await decoyHash()))
      if (!agent || !matches) throw wrong
      return startSession(agent)
    },

    async signOut(sessionId: string): Promise<string> {
      const hash = sha256(sessionId)
      await store.deleteSession(hash)
      return hash
    },

    async signedInAgent(sessionId: string | undefined): Promise<Agent | undefined> {
      const agent = sessionId === undefined ? undefined : await sessionAgent(sessionId)
      return agent && publicAgent(agent)
    },

    async socketToken(sessionId: string): Promise<{ token: string; expiresAt: number }> {
      const agent = await sessionAgent(sessionId)
      if (!agent) throw new AccountError('unauthorized', 'Not signed in')
      const expiresAt = now() + SOCKET_TOKEN_TTL_MS
      return { token: signSocketToken(secret, { agentId: agent.id, sessionHash: sha256(sessionId), expiresAt }), expiresAt }
    },

    /** Who a socket token lets in, checked against the session and the account as they are now. */
    async agentForSocketToken(token: string): Promise<(Author & { sessionHash: string }) | undefined> {
      const claims = readSocketToken(secret, token, now())
      if (!claims) return undefined
      const session = await store.getSession(claims.sessionHash)
      if (!session || session.agentId !== claims.agentId || session.expiresAt <= now()) return undefined
      const agent = await store.getAgent(claims.agentId)
      return agent && { id: agent.id, role: 'agent', name: agent.name, sessionHash: claims.sessionHash }
    },

    async invite(by: Agent, input: { email: unknown; name?: unknown }): Promise<{ token: string; expiresAt: number }> {
      if (by.role !== 'owner') throw new AccountError('forbidden', 'Only owners invite agents')
      const email = checkEmail(input.email)
      if (await store.findAgentByEmail(email)) throw new AccountError('conflict', `${email} has an account already`)
      const name = input.name === undefined || input.name === '' ? undefined : checkName(input.name)
      const token = randomToken()
      const expiresAt = now() + INVITE_TTL_MS
      await store.createOneTimeToken({ hash: sha256(token), kind: 'invite', email, ...(name && { name }), createdBy: by.id, expiresAt })
      return { token, expiresAt }
    },

    async acceptInvite(input: { token: unknown; name: unknown; password: unknown }): Promise<SignedIn> {
      if (typeof input.token !== 'string') throw new AccountError('bad_request', 'token is missing')
      const invite = await store.peekOneTimeToken(sha256(input.token), 'invite', now())
      if (!invite?.email) throw new AccountError('gone', 'This invite is used or expired; ask for a new one')
      const agent = await createAgent({ email: invite.email, name: input.name ?? invite.name, password: input.password, role: 'agent' })
      await store.consumeOneTimeToken(sha256(input.token), 'invite', now())
      return startSession(agent)
    },

    /** For the command line: any role, no token. The first account is always an owner. */
    async addAgent(input: { email: unknown; name: unknown; password: unknown; role?: AgentRole }): Promise<Agent> {
      const role = (await store.countAgents()) === 0 ? 'owner' : (input.role ?? 'agent')
      return publicAgent(await createAgent({ ...input, role }))
    },

    /** Removes an agent; returns the hashes of the sessions that ended, to disconnect their sockets. */
    async removeAgent(by: Agent | 'command-line', id: string): Promise<void> {
      if (by !== 'command-line' && by.role !== 'owner') throw new AccountError('forbidden', 'Only owners remove agents')
      if (by !== 'command-line' && by.id === id) throw new AccountError('forbidden', 'You cannot remove yourself')
      const agent = await store.getAgent(id)
      if (!agent) throw new AccountError('not_found', `No agent ${id}`)
      if (agent.role === 'owner') {
        const owners = (await store.listAgents()).filter((a) => a.role === 'owner')
        if (owners.length === 1) throw new AccountError('forbidden', 'The last owner cannot be removed')
      }
      await store.removeAgent(id)
    },

    async resetPassword(email: string, password: string): Promise<Agent> {
      const agent = await store.findAgentByEmail(email)
      if (!agent) throw new AccountError('not_found', `No agent with the email ${normalizeEmail(email)}`)
      const problem = passwordProblem(password)
      if (problem) throw new AccountError('bad_request', problem)
      await store.setPasswordHash(agent.id, await hashPassword(password))
      // Whoever knew the old password is signed out everywhere.
      await store.deleteSessionsOf(agent.id)
      return publicAgent(agent)
    },

    listAgents: (): Promise<Agent[]> => store.listAgents(),
    findAgentByEmail: async (email: string): Promise<Agent | undefined> => {
      const agent = await store.findAgentByEmail(email)
      return agent && publicAgent(agent)
    },
  }
}

function publicAgent({ passwordHash: _hash, ...agent }: StoredAgent): Agent {
  return agent
}

function checkEmail(value: unknown): string {
  if (typeof value !== 'string' || value.length > 320 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim())) {
    throw new AccountError('bad_request', 'email must be an address like name@example.com')
  }
  return normalizeEmail(value)
}

function checkName(value: unknown): string {
  const name = typeof value === 'string' ? normalizeDisplayName(value, 'agent') : undefined
  if (!name) throw new AccountError('bad_request', 'name must have at least one visible character')
  return name
}
