/**
 * The agents' account API the inbox uses (README "Agent accounts"): setup, sign-in and out, the
 * socket token, invites and removal. Only the server's own pages may call it: requests from any
 * other origin are refused, whatever `allowedOrigins` says, and no CORS header is ever sent. The
 * session rides in an HttpOnly, SameSite=Lax cookie; state changes need a JSON body, which a
 * cross-site form cannot send.
 */
import type { Accounts, SignedIn } from '../accounts/accounts'
import type { ServerContext } from '../context'
import type { OriginPolicy } from '../origin-policy'
import type { RateLimiter } from '../rate-limit'
import { accountGuard, SESSION_COOKIE } from './account-guard'
import { fail, ok, readCookie, readJson, type Exchange } from './exchange'
import type { Route } from './router'

export { SESSION_COOKIE }

export interface AuthRoutesOptions {
  accounts: Accounts
  origins: OriginPolicy
  /** Sign-in attempts per client address and per email. */
  signInByAddress: RateLimiter<string>
  signInByEmail: RateLimiter<string>
  /** Where links point: the public URL, or the server's own URL. */
  baseUrl: () => string
  /** Whether cookies get `Secure`: the site is reached over https. */
  secureCookies: (ex: Exchange) => boolean
  /** Ends the sockets of an agent (removed) or of a session (signed out), on every node. */
  disconnect: (channel: { agentId: string } | { sessionHash: string }) => void
}

export function authRoutes(ctx: ServerContext, options: AuthRoutesOptions): Route[] {
  const { accounts } = options

  const signedIn = (ex: Exchange, session: SignedIn, message: string): void => {
    const cookie = [
      `${SESSION_COOKIE}=${session.sessionId}`,
      'Path=/',
      'HttpOnly',
      'SameSite=Lax',
      `Max-Age=${Math.floor((session.expiresAt - ctx.now()) / 1000)}`,
      ...(options.secureCookies(ex) ? ['Secure'] : []),
    ].join('; ')
    ok(ex, message, { agent: session.agent }, { 'Set-Cookie': cookie })
  }

  const { route, requireAgent } = accountGuard(accounts, options.origins)

  return [
    route(['GET'], /^\/api\/auth\/state$/, async (ex) => {
      const agent = await accounts.signedInAgent(readCookie(ex, SESSION_COOKIE))
      ok(ex, 'ok', { signedIn: agent !== undefined, ...(agent && { agent }), setupNeeded: await accounts.setupNeeded() })
    }),

    route(['POST'], /^\/api\/auth\/sign-in$/, async (ex) => {
      const body = await readJson(ex)
      const address = ctx.clientAddress(ex.req.socket.remoteAddress, ex.req.headers)
      const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : ''
      for (const decision of [options.signInByAddress.take(address), options.signInByEmail.take(email)]) {
        if (decision.ok) continue
        const seconds = Math.ceil(decision.retryAfterMs / 1000)
        return fail(ex, 429, `Too many sign-in attempts; try again in ${seconds} s`, 'rate_limited', { 'Retry-After': String(seconds) })
      }
      signedIn(ex, await accounts.signIn(body.email, body.password), 'Signed in')
    }),

    route(['POST'], /^\/api\/auth\/sign-out$/, async (ex) => {
      const sessionId = readCookie(ex, SESSION_COOKIE)
      if (sessionId) options.disconnect({ sessionHash: await accounts.signOut(sessionId) })
      const expired = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`
      ok(ex, 'Signed out', {}, { 'Set-Cookie': expired })
    }),

    route(['POST'], /^\/api\/auth\/setup$/, async (ex) => {
      const body = await readJson(ex)
      signedIn(ex, await accounts.setupOwner({ token: body.token, name: body.name, email: body.email, password: body.password }), 'Owner account created')
      ctx.logger.info({ email: body.email }, 'the owner account was created')
    }),

    route(['POST'], /^\/api\/auth\/accept-invite$/, async (ex) => {
      const body = await readJson(ex)
      signedIn(ex, await accounts.acceptInvite({ token: body.token, name: body.name, password: body.password }), 'Welcome')
    }),

    route(['GET'], /^\/api\/auth\/socket-token$/, async (ex) => {
      const sessionId = readCookie(ex, SESSION_COOKIE)
      if (!sessionId) return fail(ex, 401, 'Not signed in', 'Sign in first')
      ok(ex, 'ok', await accounts.socketToken(sessionId))
    }),

    route(['GET'], /^\/api\/agents$/, async (ex) => {
      if (!(await requireAgent(ex))) return
      ok(ex, 'ok', { agents: await accounts.listAgents() })
    }),

    route(['POST'], /^\/api\/agents\/invites$/, async (ex) => {
      const agent = await requireAgent(ex)
      if (!agent) return
      const body = await readJson(ex)
      const { token, expiresAt } = await accounts.invite(agent, { email: body.email, name: body.name })
      ok(ex, 'Invite created', { inviteUrl: `${options.baseUrl()}/inbox/invite#token=${token}`, expiresAt })
    }),

    route(['DELETE'], /^\/api\/agents\/([^/]+)$/, async (ex) => {
      const agent = await requireAgent(ex)
      if (!agent) return
      const id = ex.params[0] ?? ''
      await accounts.removeAgent(agent, id)
      options.disconnect({ agentId: id })
      ctx.logger.info({ removed: id, by: agent.id }, 'an agent was removed')
      ok(ex, 'Agent removed', {})
    }),
  ]
}
