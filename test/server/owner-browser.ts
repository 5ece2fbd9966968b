/**
 * An owner (or agent) in a browser tab on the server's own page, for tests of the routes the
 * inbox calls: keeps the session cookie like a browser, sends JSON like the inbox.
 */
import { expect } from 'vitest'
import type { ChatServer } from '../../src/server'

export const PASSWORD = 'correct horse battery'

export interface Reply<T = Record<string, unknown>> {
  status: number
  body: { success: boolean; message: string; data?: T; error?: string }
  headers: Headers
}

export function browser(server: { url: string }, origin = server.url) {
  let cookie = ''
  async function call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { origin, ...(cookie && { cookie }), ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    })
    const set = res.headers.get('set-cookie')
    if (set) cookie = set.split(';')[0]!.endsWith('=') ? '' : set.split(';')[0]!
    return { status: res.status, body: (await res.json()) as Reply<T>['body'], headers: res.headers }
  }
  return { call }
}

export type Browser = ReturnType<typeof browser>

/** Creates the owner through the setup link the server printed, signed in. */
export async function ownerOf(server: ChatServer, origin = server.url): Promise<Browser> {
  const token = new URL(server.setupUrl ?? 'http://x/#token=').hash.slice('#token='.length)
  const owner = browser(server, origin)
  const reply = await owner.call('POST', '/api/auth/setup', { token, name: 'Dewi', email: 'dewi@toko.example', password: PASSWORD })
  expect(reply.status).toBe(200)
  return owner
}

/** An invited agent (not an owner), signed in. */
export async function invitedAgent(server: ChatServer, owner: Browser, email = 'ayu@toko.example'): Promise<Browser> {
  const invite = await owner.call<{ inviteUrl: string }>('POST', '/api/agents/invites', { email })
  const token = new URL(invite.body.data!.inviteUrl).hash.slice('#token='.length)
  const agent = browser(server)
  expect((await agent.call('POST', '/api/auth/accept-invite', { token, name: 'Ayu', password: PASSWORD })).status).toBe(200)
  return agent
}

/** An API key made in the inbox's settings; resolves to the key itself. */
export async function apiKey(owner: Browser, scopes: string[] = ['read', 'write'], name = 'CRM sync'): Promise<string> {
  const made = await owner.call<{ token: string }>('POST', '/api/integrations/keys', { name, scopes })
  expect(made.status).toBe(200)
  return made.body.data!.token
}

/** A REST API client with one key. */
export function api(server: { url: string }, token: string | undefined) {
  return async function call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    })
    const text = await res.text()
    return { status: res.status, body: text ? (JSON.parse(text) as Reply<T>['body']) : (undefined as never), headers: res.headers }
  }
}
