/**
 * Who this client says it is on every connection attempt, and what a refusal means for the next
 * one. The handshake credentials live here (a visitor's server-issued id and token, its signed
 * identity, an agent's token or token getter); the session the server answers with lives with the
 * socket that carried it (`SocketLink.session`).
 */
import { PROTOCOL_VERSION, type ErrorCode, type HandshakeAuth, type Role, type SessionInfo, type VisitorContext, type VisitorIdentity } from '../../protocol'
import type { ConnectionEvent } from '../connection/machine'
import { ChatError } from '../errors'
import { readJson, removeKey, writeJson, type StorageLike } from '../util/storage'
import { parseCredentials, type VisitorCredentials } from './credentials'

export type TokenSource = string | (() => string | Promise<string>)

/** What to do after the server refused a handshake. */
export type RefusalDecision =
  /** Try again after the usual backoff. */
  | 'retry'
  /** The server forgot this visitor: try again as a new one (the outbox goes along). */
  | 'retry_as_new_visitor'
  /** Retrying cannot help. */
  | 'give_up'

/** A token getter may be asked this many times in a row for a token the server accepts. */
const TOKEN_ATTEMPTS = 3

export interface RefusalContext {
  role: Role
  hasCredentials: boolean
  tokenIsGetter: boolean
  /** Handshakes refused as unauthorized in a row, this one included. */
  refusedTokens: number
}

/** Pure: the refusal policy. */
export function decideRefusal(code: ErrorCode | undefined, context: RefusalContext): RefusalDecision {
  if (code === 'unsupported_version') return 'give_up'
  if (code !== 'unauthorized') return 'retry'
  // E.g. the server's secret changed: its token for this visitor means nothing any more.
  if (context.role === 'visitor' && context.hasCredentials) return 'retry_as_new_visitor'
  // An expired token: the getter is asked again on the next attempt.
  if (context.tokenIsGetter && context.refusedTokens < TOKEN_ATTEMPTS) return 'retry'
  return 'give_up'
}

export interface HandshakeOptions {
  role: Role
  token?: TokenSource | undefined
  identity?: VisitorIdentity | undefined
  name?: string | undefined
  /** Visitors: what the page reports about the visitor, sent with every handshake. */
  context?: VisitorContext | undefined
  storage: StorageLike
  credentialsKey: string
}

export class Handshake {
  private credentials: VisitorCredentials | undefined
  private identity: VisitorIdentity | undefined
  private context: VisitorContext | undefined
  /** The context the latest handshake carried: what the server has unless told otherwise. */
  private contextSent: VisitorContext | undefined
  private refusedTokens = 0

  constructor(private readonly options: HandshakeOptions) {
    this.identity = options.identity
    this.context = options.context
    if (options.role === 'visitor') this.credentials = parseCredentials(readJson(options.storage, options.credentialsKey))
  }

  /** A visitor this server knows already (or a signed-in one): it has a conversation to resume. */
  get knownVisitor(): boolean {
    return this.credentials !== undefined || this.identity !== undefined
  }

  /** The id a visitor had before the server said who it is, for messages written meanwhile. */
  get visitorId(): string {
    return this.credentials?.visitorId ?? ''
  }

  setIdentity(identity: VisitorIdentity | undefined): void {
    this.identity = identity
  }

  /** Keeps the visitor's context for every later handshake (a connected client also sends it now). */
  setContext(context: VisitorContext): void {
    this.context = context
  }

  /** The context to send on the live connection, once: undefined when the server has it already. */
  contextToSend(): VisitorContext | undefined {
    if (this.context === this.contextSent) return undefined
    this.contextSent = this.context
    return this.context
  }

  /** The `auth` of the next connection attempt; asks a token getter for a fresh token. */
  async auth(): Promise<HandshakeAuth> {
    const { role, token, name } = this.options
    const agentToken = typeof token === 'function' ? await token() : token
    const context = role === 'visitor' ? this.context : undefined
    this.contextSent = context
    return {
      v: PROTOCOL_VERSION,
      role,
      ...(role === 'visitor' && this.credentials ? { visitorId: this.credentials.visitorId, token: this.credentials.token } : {}),
      ...(role === 'visitor' && this.identity ? { identity: this.identity } : {}),
      ...(role === 'agent' && agentToken ? { token: agentToken } : {}),
      ...(name ? { name } : {}),
      ...(context ? { context } : {}),
    }
  }

  /** The server accepted us. Returns the identity refusal to report, if it made the visitor anonymous. */
  accepted(info: SessionInfo): ChatError | undefined {
    this.refusedTokens = 0
    if (this.options.role !== 'visitor') return undefined
    if (info.visitorToken) {
      this.credentials = { visitorId: info.user.id, token: info.visitorToken }
      writeJson(this.options.storage, this.options.credentialsKey, this.credentials)
    }
    if (!info.identityError) return undefined
    // Refused identities are not offered again; the visitor carries on anonymously.
    this.identity = undefined
    return new ChatError(info.identityError.code, info.identityError.message)
  }

  /** The server refused us: the connection event it makes, after forgetting what the server no longer honours. */
  refused(code: ErrorCode | undefined): ConnectionEvent {
    const decision = this.decide(code)
    if (decision === 'give_up') return { type: 'fatal', reason: code === 'unsupported_version' ? 'unsupported_version' : 'connect_error' }
    return { type: 'lost', reason: 'connect_error' }
  }

  private decide(code: ErrorCode | undefined): RefusalDecision {
    if (code === 'unauthorized') this.refusedTokens++
    const decision = decideRefusal(code, {
      role: this.options.role,
      hasCredentials: this.credentials !== undefined,
      tokenIsGetter: typeof this.options.token === 'function',
      refusedTokens: this.refusedTokens,
    })
    if (decision === 'retry_as_new_visitor') {
      this.credentials = undefined
      removeKey(this.options.storage, this.options.credentialsKey)
    }
    return decision
  }
}
