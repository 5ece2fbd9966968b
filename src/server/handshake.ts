/**
 * Decides who a connecting socket is, before any of its events are heard. A refusal reaches the
 * client as `connect_error` with `err.data = { code, message }`, so it can tell a bad credential
 * (stop retrying) from a version mismatch (upgrade) from a passing fault (retry).
 */
import type { ExtendedError } from 'socket.io'
import { check, normalizeDisplayName, PROTOCOL_VERSION, requestSchemas, schemas } from '../protocol'
import type { Author, HandshakeAuth } from '../protocol'
import type { ChatSocket, ServerContext, SocketData } from './context'
import { ChatError, toWireError } from './errors'
import { frozenCopy } from './frozen-copy'
import { isSocketToken } from './accounts/tokens'
import { visitorRoomId } from './ids'
import { identifiedVisitorId, verifyIdentity } from './identity-verification'
import { checkedContact } from './handlers/visitor-contact'
import { issueVisitorCredentials, verifyVisitorToken } from './visitor-token'

export function handshakeMiddleware(ctx: ServerContext) {
  return (socket: ChatSocket, next: (err?: ExtendedError) => void): void => {
    const address = ctx.clientAddress(socket.handshake.address, socket.handshake.headers)
    identify(ctx, socket.handshake.auth, address).then(
      (data) => {
        // Frozen: it goes into every message this socket writes, which can then share it as is.
        socket.data = { ...data, user: frozenCopy(data.user), connectedAt: ctx.now() }
        next()
      },
      (error: unknown) => {
        const wire = toWireError(error)
        if (wire.code === 'internal') ctx.reportError(error, { during: 'handshake', address })
        const refusal: ExtendedError = new Error(wire.message)
        refusal.data = wire
        next(refusal)
      },
    )
  }
}

async function identify(ctx: ServerContext, rawAuth: unknown, address: string): Promise<SocketData> {
  // The version is checked first: a newer client may send fields this server cannot parse.
  const version = isRecord(rawAuth) ? rawAuth.v : undefined
  if (typeof version === 'number' && version !== PROTOCOL_VERSION) {
    throw new ChatError('unsupported_version', `Protocol version ${version} is not supported; this server speaks ${PROTOCOL_VERSION}`)
  }
  const parsed = check(requestSchemas.handshakeAuth, rawAuth)
  if (!parsed.ok) throw new ChatError('bad_request', `Invalid handshake: ${parsed.reason}`)
  if (parsed.value.role === 'agent') return identifyAgent(ctx, parsed.value)
  const visitor = await identifyVisitor(ctx, parsed.value, address)
  const { context, contact } = parsed.value
  return {
    ...visitor,
    ...(context && { context }),
    // What this browser was told to keep; a part this site no longer accepts is dropped, not refused.
    ...(contact && { contact: checkedContact(ctx, contact, 'lenient') }),
  }
}

export async function identifyAgent(ctx: ServerContext, auth: HandshakeAuth): Promise<SocketData> {
  if (!ctx.authenticateAgent && !ctx.accounts) {
    throw new ChatError('unauthorized', 'This server accepts no agents: it has no agent accounts and no authenticateAgent')
  }
  const token = auth.token
  if (token !== undefined && ctx.accounts && isSocketToken(token)) {
    // An account's socket token: checked against its session and account as they are now.
    const agent = await ctx.accounts.agentForSocketToken(token)
    if (!agent) throw new ChatError('unauthorized', 'The sign-in token is expired or its session ended; sign in again')
    const { sessionHash, ...user } = agent
    return { user: checkedAgent(user), sessionHash }
  }
  const author = token && ctx.authenticateAgent ? await ctx.authenticateAgent(token) : undefined
  if (!author) throw new ChatError('unauthorized', 'Agent credentials were not accepted')
  return { user: checkedAgent(author) }
}

/** The identity goes out in every message this agent writes, so it must pass clients' checks. */
function checkedAgent(author: Author): Author {
  const name = author.name === undefined ? undefined : normalizeDisplayName(author.name, 'agent')
  const user = check(schemas.author, { id: author.id, role: 'agent', ...(name !== undefined && { name }), ...(author.email !== undefined && { email: author.email }) })
  if (!user.ok) throw new ChatError('internal', `the agent's identity is invalid: ${user.reason}`)
  return user.value
}

async function identifyVisitor(ctx: ServerContext, auth: HandshakeAuth, address: string): Promise<SocketData> {
  if (auth.identity) {
    try {
      verifyIdentity(ctx.identitySecret, auth.identity)
      const { userId, name, email } = auth.identity
      const shownName = displayName(name ?? auth.name)
      const user: Author = {
        id: identifiedVisitorId(userId),
        role: 'visitor',
        ...(shownName !== undefined && { name: shownName }),
        ...(email !== undefined && { email }),
      }
      return { user, roomId: await roomOf(ctx, user.id) }
    } catch (error) {
      // A refused identity is reported, not fatal: the visitor carries on anonymously.
      if (!(error instanceof ChatError)) throw error
      return { ...(await identifyAnonymous(ctx, auth, address)), identityError: toWireError(error) }
    }
  }
  return identifyAnonymous(ctx, auth, address)
}

/**
 * A visitor the server knows already, from the credentials its handshakes carry (`identity`, or
 * `visitorId` with `token`), for requests beside the socket (file uploads and downloads). Nobody
 * new is made up here, and a refused identity is refused, not made anonymous.
 */
export async function identifyKnownVisitor(ctx: ServerContext, auth: HandshakeAuth): Promise<{ user: Author; roomId: string }> {
  if (auth.identity) {
    verifyIdentity(ctx.identitySecret, auth.identity)
    const id = identifiedVisitorId(auth.identity.userId)
    return { user: { id, role: 'visitor' }, roomId: await roomOf(ctx, id) }
  }
  if (auth.visitorId === undefined || auth.token === undefined) throw new ChatError('unauthorized', 'Send the visitor id and token the server issued')
  if (!verifyVisitorToken(ctx.secret, auth.visitorId, auth.token)) throw new ChatError('unauthorized', 'Visitor token does not match the visitor id')
  return { user: { id: auth.visitorId, role: 'visitor' }, roomId: await roomOf(ctx, auth.visitorId) }
}

async function identifyAnonymous(ctx: ServerContext, auth: HandshakeAuth, address: string): Promise<SocketData> {
  let visitorId: string
  let visitorToken: string
  if (auth.visitorId === undefined) {
    const allowed = ctx.newVisitors.take(address)
    if (!allowed.ok) {
      throw new ChatError('rate_limited', `Too many new visitors from this address; try again in ${Math.ceil(allowed.retryAfterMs / 1000)} s`, allowed.retryAfterMs)
    }
    ;({ visitorId, visitorToken } = issueVisitorCredentials(ctx.secret))
  } else {
    if (auth.token === undefined || !verifyVisitorToken(ctx.secret, auth.visitorId, auth.token)) {
      throw new ChatError('unauthorized', 'Visitor token does not match the visitor id')
    }
    visitorId = auth.visitorId
    visitorToken = auth.token
  }
  const name = displayName(auth.name)
  const user: Author = { id: visitorId, role: 'visitor', ...(name !== undefined && { name }) }
  return { user, roomId: await roomOf(ctx, visitorId), visitorToken }
}

/**
 * The visitor's room: the one it has, or the one its first message will create. Only read here,
 * so a connection that never sends leaves nothing behind.
 */
async function roomOf(ctx: ServerContext, visitorId: string): Promise<string> {
  return (await ctx.store.findVisitorConversation(visitorId))?.roomId ?? visitorRoomId(ctx.secret, visitorId)
}

/** A visitor's name as others will see it; a name with nothing usable left is dropped. */
function displayName(name: string | undefined): string | undefined {
  return name === undefined ? undefined : normalizeDisplayName(name, 'visitor')
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}
