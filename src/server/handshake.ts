/**
 * Decides who a connecting socket is, before any of its events are heard. A refusal reaches the
 * client as `connect_error` with `err.data = { code, message }`, so it can tell a bad credential
 * (stop retrying) from a version mismatch (upgrade) from a passing fault (retry).
 */
import type { ExtendedError } from 'socket.io'
import { check, PROTOCOL_VERSION, requestSchemas, schemas } from '../protocol'
import type { Author, HandshakeAuth } from '../protocol'
import type { ChatSocket, ServerContext, SocketData } from './context'
import { ChatError, toWireError } from './errors'
import { frozenCopy } from './frozen-copy'
import { identifiedVisitorId, verifyIdentity } from './identity-verification'
import { issueVisitorCredentials, verifyVisitorToken } from './visitor-token'

export function handshakeMiddleware(ctx: ServerContext) {
  return (socket: ChatSocket, next: (err?: ExtendedError) => void): void => {
    identify(ctx, socket.handshake.auth).then(
      (data) => {
        // Frozen: it goes into every message this socket writes, which can then share it as is.
        socket.data = { ...data, user: frozenCopy(data.user), connectedAt: ctx.now() }
        next()
      },
      (error: unknown) => {
        const wire = toWireError(error)
        const refusal: ExtendedError = new Error(wire.message)
        refusal.data = wire
        next(refusal)
      },
    )
  }
}

async function identify(ctx: ServerContext, rawAuth: unknown): Promise<SocketData> {
  // The version is checked first: a newer client may send fields this server cannot parse.
  const version = isRecord(rawAuth) ? rawAuth.v : undefined
  if (typeof version === 'number' && version !== PROTOCOL_VERSION) {
    throw new ChatError('unsupported_version', `Protocol version ${version} is not supported; this server speaks ${PROTOCOL_VERSION}`)
  }
  const parsed = check(requestSchemas.handshakeAuth, rawAuth)
  if (!parsed.ok) throw new ChatError('bad_request', `Invalid handshake: ${parsed.reason}`)
  return parsed.value.role === 'agent' ? identifyAgent(ctx, parsed.value) : identifyVisitor(ctx, parsed.value)
}

async function identifyAgent(ctx: ServerContext, auth: HandshakeAuth): Promise<SocketData> {
  const author = auth.token ? await ctx.authenticateAgent(auth.token) : undefined
  if (!author) throw new ChatError('unauthorized', 'Agent credentials were not accepted')
  // The identity goes out in every message this agent writes, so it must pass clients' checks.
  const user = check(schemas.author, { ...author, role: 'agent' })
  if (!user.ok) throw new ChatError('internal', 'authenticateAgent returned an invalid author')
  return { user: user.value }
}

async function identifyVisitor(ctx: ServerContext, auth: HandshakeAuth): Promise<SocketData> {
  if (auth.identity) {
    try {
      verifyIdentity(ctx.identitySecret, auth.identity)
      const { userId, name, email } = auth.identity
      const user: Author = {
        id: identifiedVisitorId(userId),
        role: 'visitor',
        ...((name ?? auth.name) !== undefined && { name: name ?? auth.name }),
        ...(email !== undefined && { email }),
      }
      const conversation = await ctx.store.conversationForVisitor(user, ctx.now())
      return { user, roomId: conversation.roomId }
    } catch (error) {
      // A refused identity is reported, not fatal: the visitor carries on anonymously.
      if (!(error instanceof ChatError)) throw error
      return { ...(await identifyAnonymous(ctx, auth)), identityError: toWireError(error) }
    }
  }
  return identifyAnonymous(ctx, auth)
}

async function identifyAnonymous(ctx: ServerContext, auth: HandshakeAuth): Promise<SocketData> {
  let visitorId: string
  let visitorToken: string
  if (auth.visitorId === undefined) {
    ;({ visitorId, visitorToken } = issueVisitorCredentials(ctx.secret))
  } else {
    if (auth.token === undefined || !verifyVisitorToken(ctx.secret, auth.visitorId, auth.token)) {
      throw new ChatError('unauthorized', 'Visitor token does not match the visitor id')
    }
    visitorId = auth.visitorId
    visitorToken = auth.token
  }
  const user: Author = { id: visitorId, role: 'visitor', ...(auth.name !== undefined && { name: auth.name }) }
  const conversation = await ctx.store.conversationForVisitor(user, ctx.now())
  return { user, roomId: conversation.roomId, visitorToken }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}
