/**
 * `startInbox`: puts the inbox in a page. Everything from the outside world comes in here (the
 * window, `fetch`, storage, the server's URL, the client's options), so tests run the same code
 * against stubs, happy-dom or real Chromium. The agent's socket credential comes from the signed-in
 * session: `GET /api/auth/socket-token`, asked for before every connection attempt by the core.
 */
import { render } from 'preact'
import { createChatClient, type ChatClient, type ChatClientOptions } from '../index'
import { createAuthApi, type FetchLike } from './api/auth-api'
import { App, type InboxServices } from './App'
import { browserNotifications, type DesktopNotifications } from './notifications/notifier'
import { createChime } from './notifications/sound'
import { createPreferences, type StorageLike } from './state/preferences'
import { createRouter } from './state/route'
import { createSession } from './state/session'

export interface InboxOptions {
  /** Where the app renders. */
  root: HTMLElement
  /** The window the inbox lives in; default the root's. */
  win?: Window & typeof globalThis
  /** The chat server's origin; default the page's own (the server serves the inbox). */
  serverUrl?: string
  /** Where the inbox is served, with a trailing slash. Default `/inbox/`. */
  base?: string
  fetch?: FetchLike
  storage?: StorageLike
  /** Extra options for the core client (tests: a manual environment, transports). */
  clientOptions?: Partial<ChatClientOptions>
  /** Makes the core client; default `createChatClient`. Tests pass one that hands out a stand-in. */
  createClient?: (options: ChatClientOptions) => ChatClient
  desktop?: DesktopNotifications
  chime?: () => void
  now?: () => number
}

export interface InboxHandle {
  services: InboxServices
  destroy(): void
}

export function startInbox(options: InboxOptions): InboxHandle {
  const win = options.win ?? (options.root.ownerDocument.defaultView as Window & typeof globalThis)
  const serverUrl = options.serverUrl ?? win.location.origin
  const api = createAuthApi(options.fetch ?? ((input, init) => win.fetch(input, init)), options.serverUrl ?? '')
  const session = createSession(api)
  const router = createRouter(win, options.base ?? '/inbox/')
  const preferences = createPreferences(options.storage ?? win.localStorage)

  const services: InboxServices = {
    api,
    session,
    router,
    preferences,
    desktop: options.desktop ?? browserNotifications(win),
    chime: options.chime ?? createChime(win),
    now: options.now ?? (() => Date.now()),
    win,
    makeClient: (agent) =>
      (options.createClient ?? createChatClient)({
        url: serverUrl,
        role: 'agent',
        // Each agent's unsent replies are kept under its own key: a teammate signing in on the
        // same browser never sends them under their name.
        storageKey: `obrolan-inbox:${agent.id}`,
        ...options.clientOptions,
        token: async () => {
          const result = await api.socketToken()
          if (result.ok) return result.data.token
          if (result.status === 401) session.ended()
          throw new Error(`socket token: ${result.message}`)
        },
      }),
  }

  render(<App services={services} />, options.root)
  void session.load()
  return {
    services,
    destroy() {
      render(null, options.root)
      router.destroy()
    },
  }
}
