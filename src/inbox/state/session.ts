/**
 * Who is signed in, as one store, and the calls that change it. The session itself is an HttpOnly
 * cookie the page never sees: this store only mirrors what the server said last.
 */
import { atom, type ReadableAtom } from 'nanostores'
import type { Agent, ApiResult, AuthApi } from '../api/auth-api'

export type Session =
  | { phase: 'loading' }
  | { phase: 'signed-out'; setupNeeded: boolean; ended?: boolean }
  | { phase: 'signed-in'; agent: Agent }
  /** `GET /api/auth/state` got no usable answer: the screen says so and offers to try again. */
  | { phase: 'unreachable'; message: string }

/** Why a form was refused, for the screen to put in words (see `describeFailure`). */
export type Failure =
  | { kind: 'network' }
  | { kind: 'wrong-credentials' }
  | { kind: 'rate-limited'; seconds: number }
  /** A setup or invite token that was used or has expired (410). */
  | { kind: 'link-used' }
  /** Bad input or another refusal, in the server's words. */
  | { kind: 'refused'; message: string }

export type Outcome = { ok: true } | { ok: false; failure: Failure }

export function failureOf(result: Extract<ApiResult<unknown>, { ok: false }>): Failure {
  if (result.status === 0) return { kind: 'network' }
  if (result.status === 401) return { kind: 'wrong-credentials' }
  if (result.status === 429) return { kind: 'rate-limited', seconds: result.retryAfter ?? 60 }
  if (result.status === 410) return { kind: 'link-used' }
  return { kind: 'refused', message: result.message }
}

export interface SessionController {
  readonly $session: ReadableAtom<Session>
  /** Asks the server who this is. */
  load(): Promise<void>
  signIn(email: string, password: string): Promise<Outcome>
  setup(input: { token: string; name: string; email: string; password: string }): Promise<Outcome>
  acceptInvite(input: { token: string; name: string; password: string }): Promise<Outcome>
  signOut(): Promise<Outcome>
  /** The server no longer knows the session (a 401 on a signed-in call): back to sign-in, with a word why. */
  ended(): void
}

export function createSession(api: AuthApi): SessionController {
  const $session = atom<Session>({ phase: 'loading' })

  async function signedInBy(request: Promise<ApiResult<{ agent: Agent }>>): Promise<Outcome> {
    const result = await request
    if (!result.ok) return { ok: false, failure: failureOf(result) }
    $session.set({ phase: 'signed-in', agent: result.data.agent })
    return { ok: true }
  }

  return {
    $session,
    async load() {
      const result = await api.state()
      if (!result.ok) {
        $session.set({ phase: 'unreachable', message: result.message })
      } else if (result.data.signedIn && result.data.agent) {
        $session.set({ phase: 'signed-in', agent: result.data.agent })
      } else {
        $session.set({ phase: 'signed-out', setupNeeded: result.data.setupNeeded === true })
      }
    },
    signIn: (email, password) => signedInBy(api.signIn(email, password)),
    setup: (input) => signedInBy(api.setup(input)),
    acceptInvite: (input) => signedInBy(api.acceptInvite(input)),
    async signOut() {
      const result = await api.signOut()
      // A session the server had already forgotten is as signed out as it gets.
      if (!result.ok && result.status !== 401) return { ok: false, failure: failureOf(result) }
      $session.set({ phase: 'signed-out', setupNeeded: false })
      return { ok: true }
    },
    ended() {
      if ($session.get().phase === 'signed-in') $session.set({ phase: 'signed-out', setupNeeded: false, ended: true })
    },
  }
}
