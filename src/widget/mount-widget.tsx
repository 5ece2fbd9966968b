/**
 * `mountWidget`: the only function that touches the page. It creates a host element with an open
 * shadow root, adopts two constructable stylesheets into it (the widget's CSS and the theme from
 * the options — no `<style>` element, no `style` attribute, so it runs under
 * `style-src 'self'`), and renders the Preact app inside. Nothing runs at import time.
 */
import { atom } from 'nanostores'
import { createNanoEvents } from 'nanoevents'
import { render } from 'preact'
import { createChatClient, type ChatClient, type ChatClientEvents, type ChatClientOptions } from '../index'
import { App, type OpenController } from './App'
import { WidgetContext, type WidgetEnvironment } from './context'
import { sessionDraftStore } from './draft-storage'
import { followPageContext } from './page-context'
import { defaultStorage } from '../core/util/storage'
import { createTimeFormatter, resolveStrings, type WidgetStrings } from './i18n'
import { WIDGET_CSS } from './styles'
import { resolveTheme, themeCss, type ColorScheme, type WidgetPosition } from './theme'

export interface WidgetOptions {
  /** Use an existing client; otherwise the widget creates one from `url` and `clientOptions`. */
  client?: ChatClient
  /** The chat server's URL; required when no `client` is given. */
  url?: string
  clientOptions?: Partial<ChatClientOptions>
  /** Where the host element is appended. Default `document.body`. */
  target?: HTMLElement
  /** Header title and the dialog's accessible name. Default from the strings. */
  title?: string
  /** Shown as the first bubble, from the agent's side; never sent. */
  greeting?: string
  /** Hex, rgb()/hsl() or a colour name; anything else throws a TypeError. */
  primaryColor?: string
  /** Corner of the launcher. Default `right`. */
  position?: WidgetPosition
  /** Default 2147483000. */
  zIndex?: number
  /** `en` and `id` are built in; `id-ID` → `id`; anything else → `en`. Default the browser's language. */
  locale?: string
  strings?: Partial<WidgetStrings>
  /** Default `auto` (follows `prefers-color-scheme`). */
  colorScheme?: ColorScheme
  /** Start with the panel open. */
  open?: boolean
  /**
   * Tell agents where the visitor is: the page and the pages of this visit, the referrer, the
   * browser's language, time zone and user agent, first seen and visits (see README). Default true
   * for the client the widget makes; a client passed in reports what its app gives it.
   */
  pageContext?: boolean
}

interface WidgetEvents {
  open(): void
  close(): void
}

export interface WidgetHandle {
  open(): void
  close(): void
  toggle(): void
  /** Unmounts, removes the host element, and destroys the client if the widget created it. */
  destroy(): void
  readonly isOpen: boolean
  readonly client: ChatClient
  readonly host: HTMLElement
  on(event: 'open' | 'close', listener: () => void): () => void
  /** The client's own events, forwarded; unsubscribed on `destroy`. */
  on<E extends keyof ChatClientEvents>(event: E, listener: ChatClientEvents[E]): () => void
}

/** The attribute that marks the host element; style it from the page to override custom properties. */
export const HOST_ATTRIBUTE = 'data-obrolan-widget'

function createSheet(win: Window & typeof globalThis, css: string): CSSStyleSheet {
  const sheet = new win.CSSStyleSheet()
  sheet.replaceSync(css)
  return sheet
}

/**
 * Tracks the visual viewport (which shrinks when an on-screen keyboard opens) as custom properties
 * on the host; the full-screen panel on narrow screens sizes itself from them. Set through CSSOM,
 * which CSP allows, unlike a `style` attribute in markup.
 */
function trackVisualViewport(win: Window, host: HTMLElement): () => void {
  const viewport = win.visualViewport
  if (!viewport) return () => {}
  const update = () => {
    host.style.setProperty('--obrolan-vvh', `${Math.round(viewport.height)}px`)
    host.style.setProperty('--obrolan-vv-top', `${Math.round(viewport.offsetTop)}px`)
  }
  update()
  viewport.addEventListener('resize', update)
  viewport.addEventListener('scroll', update)
  return () => {
    viewport.removeEventListener('resize', update)
    viewport.removeEventListener('scroll', update)
  }
}

export function mountWidget(options: WidgetOptions = {}): WidgetHandle {
  // Validate everything before touching the page, so a bad option leaves nothing behind.
  const theme = resolveTheme(options)
  if (!options.client && (typeof options.url !== 'string' || options.url === '')) {
    throw new TypeError('mountWidget: pass `client`, or `url` (the chat server, e.g. "https://chat.example.com")')
  }
  const doc = options.target?.ownerDocument ?? globalThis.document
  const win = doc?.defaultView as (Window & typeof globalThis) | null | undefined
  if (!doc || !win) throw new Error('mountWidget needs a DOM: call it in the browser, not during server rendering')
  const target = options.target ?? doc.body
  if (typeof win.CSSStyleSheet?.prototype.replaceSync !== 'function') {
    // Constructable stylesheets are the only CSP-safe way to style a shadow root without a file.
    throw new Error('obrolan widget needs constructable stylesheets (Chrome 73+, Firefox 101+, Safari 16.4+)')
  }

  const locale = options.locale ?? win.navigator?.language
  const strings = resolveStrings(locale, options.strings)
  const ownsClient = !options.client
  // A first-time visitor costs the site no connection until the chat is opened; a returning one
  // (or one with unsent messages) connects at once so unread replies and the outbox are handled.
  const client = options.client ?? createChatClient({ autoConnect: false, ...options.clientOptions, url: options.url as string })
  if (ownsClient && (client.hasConversation || options.open === true)) client.connect()

  const host = doc.createElement('div')
  host.setAttribute(HOST_ATTRIBUTE, '')
  host.setAttribute('data-position', theme.position)
  host.setAttribute('data-color-scheme', theme.colorScheme)
  const shadow = host.attachShadow({ mode: 'open' })
  shadow.adoptedStyleSheets = [createSheet(win, WIDGET_CSS), createSheet(win, themeCss(theme))]
  target.appendChild(host)

  const events = createNanoEvents<WidgetEvents>()
  const $open = atom(options.open === true)
  let destroyed = false
  const setOpen = (next: boolean) => {
    if (destroyed || $open.get() === next) return
    $open.set(next)
    if (next) client.connect()
    events.emit(next ? 'open' : 'close')
  }
  const controller: OpenController = { $open, setOpen }

  const forwarded = new Set<() => void>()
  const stopViewport = trackVisualViewport(win, host)
  const reportsPage = ownsClient && options.pageContext !== false && options.clientOptions?.role !== 'agent'
  const stopPageContext = reportsPage ? followPageContext({ win, client, storage: options.clientOptions?.storage ?? defaultStorage() }) : undefined
  const env: WidgetEnvironment = { client, strings, formatTime: createTimeFormatter(locale), document: doc }
  // Beside the client's own keys, so two widgets with two clients keep two drafts.
  const draftStore = sessionDraftStore(win, `${client.storageKey}:draft`)

  render(
    <WidgetContext.Provider value={env}>
      <App controller={controller} title={options.title ?? strings.title} greeting={options.greeting} draftStore={draftStore} />
    </WidgetContext.Provider>,
    shadow,
  )

  function on(event: 'open' | 'close', listener: () => void): () => void
  function on<E extends keyof ChatClientEvents>(event: E, listener: ChatClientEvents[E]): () => void
  function on(event: string, listener: (...args: never[]) => void): () => void {
    if (destroyed) return () => {}
    if (event === 'open' || event === 'close') return events.on(event, listener as () => void)
    const off = client.on(event as keyof ChatClientEvents, listener as ChatClientEvents[keyof ChatClientEvents])
    forwarded.add(off)
    return () => {
      forwarded.delete(off)
      off()
    }
  }

  return {
    open: () => setOpen(true),
    close: () => setOpen(false),
    toggle: () => setOpen(!$open.get()),
    get isOpen() {
      return $open.get()
    },
    client,
    host,
    on,
    destroy() {
      if (destroyed) return
      destroyed = true
      render(null, shadow)
      stopViewport()
      stopPageContext?.()
      forwarded.forEach((off) => off())
      forwarded.clear()
      events.events = {}
      host.remove()
      if (ownsClient) client.destroy()
    },
  }
}
