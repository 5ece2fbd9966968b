/**
 * The inbox in happy-dom: `startInbox` with a stubbed accounts API (`fetch` answering like the
 * server's routes) and the widget tests' stand-in client (real nanostores atoms the test sets).
 * The Chromium suite (test/browser/inbox.test.ts) runs the same code against the real server.
 */
import { act, within } from '@testing-library/preact'
import { afterEach, vi } from 'vitest'
import type { ChatClientOptions } from '../../src/index'
import type { Agent } from '../../src/inbox/api/auth-api'
import type { DesktopNotifications } from '../../src/inbox/notifications/notifier'
import { startInbox, type InboxHandle } from '../../src/inbox/start-inbox'
import { createFakeClient, type FakeClient } from '../widget/fake-client'
// The conversation view is a chunk the inbox fetches once the list is up; loaded here first, its
// import() answers within a settle, as a fetched chunk does in a browser by the time one clicks.
import '../../src/inbox/conversation/ConversationView'

export const SARI: Agent = { id: 'a-sari', email: 'sari@example.com', name: 'Sari', role: 'owner', createdAt: 1 }

type Reply = { status: number; body?: unknown; headers?: Record<string, string> }
export type Routes = Record<string, Reply | ((body: Record<string, unknown> | undefined) => Reply)>

export interface Started {
  handle: InboxHandle
  ui: ReturnType<typeof within>
  calls: { method: string; path: string; body: Record<string, unknown> | undefined }[]
  fake: FakeClient
  clientOptions: ChatClientOptions[]
  chimes: number
  shown: { title: string; body: string; tag: string; onClick: () => void }[]
  desktop: DesktopNotifications & { state: NotificationPermission }
}

const started: InboxHandle[] = []
afterEach(() => {
  while (started.length) started.pop()!.destroy()
  document.body.innerHTML = ''
  localStorage.clear()
  history.replaceState(null, '', '/')
  vi.restoreAllMocks()
})

export const ok = (data: unknown): Reply => ({ status: 200, body: { success: true, message: 'ok', data } })
export const refused = (status: number, message: string, headers?: Record<string, string>): Reply => ({
  status,
  body: { success: false, message, error: 'refused' },
  ...(headers ? { headers } : {}),
})

/** `routes` maps "METHOD /path" to an answer; anything else is a 404, as on the server. */
export async function start(routes: Routes, path = '/inbox/'): Promise<Started> {
  history.replaceState(null, '', path)
  const root = document.createElement('div')
  document.body.appendChild(root)
  const fake = createFakeClient()
  // As a real client starts: not connected until it has loaded the list.
  fake.stores.status.set('connecting')
  const result = { calls: [], fake, clientOptions: [], chimes: 0, shown: [] } as unknown as Started
  result.desktop = {
    state: 'default',
    permission: () => result.desktop.state,
    request: async () => (result.desktop.state = 'granted'),
    show: (title, body, tag, onClick) => void result.shown.push({ title, body, tag, onClick }),
  }
  const fetchStub = async (input: string, init?: RequestInit): Promise<Response> => {
    const method = init?.method ?? 'GET'
    const path = new URL(input, 'http://inbox.test').pathname
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : undefined
    result.calls.push({ method, path, body })
    const route = routes[`${method} ${path}`]
    const reply = typeof route === 'function' ? route(body) : (route ?? refused(404, 'Not found'))
    if (reply.status === 0) throw new TypeError('Failed to fetch')
    return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), { status: reply.status, headers: reply.headers })
  }
  await act(async () => {
    result.handle = startInbox({
      root,
      fetch: fetchStub,
      storage: localStorage,
      desktop: result.desktop,
      chime: () => void result.chimes++,
      now: () => Date.UTC(2025, 2, 5, 12, 0),
      createClient: (options) => {
        result.clientOptions.push(options)
        return fake.client
      },
    })
  })
  started.push(result.handle)
  result.ui = within(document.body)
  await settle()
  return result
}

/** Lets fetches answer and `useStore` (which batches with timers) re-render. */
export async function settle(change?: () => void): Promise<void> {
  await act(async () => {
    change?.()
    for (let i = 0; i < 4; i++) await new Promise((resolve) => setTimeout(resolve, 0))
  })
}

export const signedIn = (agent: Agent = SARI): Routes => ({ 'GET /api/auth/state': ok({ signedIn: true, agent, setupNeeded: false }) })
export const signedOut = (setupNeeded = false): Routes => ({ 'GET /api/auth/state': ok({ signedIn: false, setupNeeded }) })

export { conversation, visitorAuthor } from './fixtures'
