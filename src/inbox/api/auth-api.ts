import type { CannedReply } from '../canned/slash'

/**
 * The server's accounts API (sign-in, setup, invites, agents, socket tokens, the team's canned
 * replies) as typed calls. Every
 * call resolves, never rejects: to `{ ok: true, data }` or to `{ ok: false, status, message }`
 * (status 0 when the server could not be reached), so each screen can say in words what went
 * wrong. `fetch` is injected: tests pass a stub, the browser its own.
 */

export interface Agent {
  id: string
  email: string
  name: string
  role: 'owner' | 'agent'
  createdAt: number
}

export interface AuthState {
  signedIn: boolean
  agent?: Agent
  setupNeeded: boolean
}

export type ApiResult<T> =
  | { ok: true; data: T }
  | {
      ok: false
      /** HTTP status; 0 when no answer came (network down, server gone). */
      status: number
      /** The server's words when it gave any, else the transport's. */
      message: string
      /** Seconds to wait, from `Retry-After` on a 429. */
      retryAfter?: number
    }

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>

export interface AuthApi {
  state(): Promise<ApiResult<AuthState>>
  signIn(email: string, password: string): Promise<ApiResult<{ agent: Agent }>>
  signOut(): Promise<ApiResult<unknown>>
  setup(input: { token: string; name: string; email: string; password: string }): Promise<ApiResult<{ agent: Agent }>>
  acceptInvite(input: { token: string; name: string; password: string }): Promise<ApiResult<{ agent: Agent }>>
  socketToken(): Promise<ApiResult<{ token: string; expiresAt: number }>>
  agents(): Promise<ApiResult<{ agents: Agent[] }>>
  invite(input: { email: string; name?: string }): Promise<ApiResult<{ inviteUrl: string; expiresAt: number }>>
  removeAgent(id: string): Promise<ApiResult<unknown>>
  cannedReplies(): Promise<ApiResult<{ replies: CannedReply[] }>>
  /** Saves a reply under its name; a name saved again gets the new text. */
  saveCannedReply(input: { name: string; text: string }): Promise<ApiResult<{ reply: CannedReply }>>
  deleteCannedReply(id: string): Promise<ApiResult<unknown>>
  /** Any other route of the agents' own API (integrations settings), in the same envelope. */
  call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: object): Promise<ApiResult<T>>
}

interface Envelope {
  success?: unknown
  message?: unknown
  error?: unknown
  data?: unknown
}

function retryAfterSeconds(response: Response): number | undefined {
  const header = response.headers.get('Retry-After')
  if (header === null) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds))
  const date = Date.parse(header)
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - Date.now()) / 1000)) : undefined
}

/** A refusal in the server's words: the envelope's `message` (its `error` is a code), else the status. */
function refusalText(body: Envelope | undefined, response: Response): string {
  if (typeof body?.message === 'string' && body.message !== '') return body.message
  if (typeof body?.error === 'string' && body.error !== '') return body.error
  return `${response.status} ${response.statusText}`.trim()
}

/** `base` is the server's origin and path prefix ('' for the page's own origin). */
export function createAuthApi(fetchFn: FetchLike, base = ''): AuthApi {
  async function call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: object): Promise<ApiResult<T>> {
    let response: Response
    try {
      response = await fetchFn(`${base}${path}`, {
        method,
        credentials: 'same-origin',
        headers: body ? { 'Content-Type': 'application/json', Accept: 'application/json' } : { Accept: 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      })
    } catch (error) {
      return { ok: false, status: 0, message: error instanceof Error ? error.message : String(error) }
    }
    let envelope: Envelope | undefined
    try {
      const parsed: unknown = await response.json()
      envelope = typeof parsed === 'object' && parsed !== null ? (parsed as Envelope) : undefined
    } catch {
      envelope = undefined // An empty or non-JSON body: the status speaks for itself.
    }
    if (!response.ok || envelope?.success === false) {
      const retryAfter = response.status === 429 ? retryAfterSeconds(response) : undefined
      return { ok: false, status: response.status, message: refusalText(envelope, response), ...(retryAfter !== undefined ? { retryAfter } : {}) }
    }
    return { ok: true, data: (envelope?.data ?? {}) as T }
  }

  return {
    state: () => call('GET', '/api/auth/state'),
    signIn: (email, password) => call('POST', '/api/auth/sign-in', { email, password }),
    signOut: () => call('POST', '/api/auth/sign-out', {}),
    setup: (input) => call('POST', '/api/auth/setup', input),
    acceptInvite: (input) => call('POST', '/api/auth/accept-invite', input),
    socketToken: () => call('GET', '/api/auth/socket-token'),
    agents: () => call('GET', '/api/agents'),
    invite: (input) => call('POST', '/api/agents/invites', input),
    removeAgent: (agentId) => call('DELETE', `/api/agents/${encodeURIComponent(agentId)}`, {}),
    cannedReplies: () => call('GET', '/api/canned-replies'),
    saveCannedReply: (input) => call('POST', '/api/canned-replies', input),
    deleteCannedReply: (replyId) => call('DELETE', `/api/canned-replies/${encodeURIComponent(replyId)}`, {}),
    call,
  }
}
