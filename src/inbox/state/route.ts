/**
 * Where the agent is, kept in the URL so a reload, a shared link and the phone's back button all
 * work: `/inbox/` (the list), `/inbox/?c=<room>` (a conversation), `/inbox/?view=agents`,
 * `/inbox/?view=integrations`, `/inbox/?view=replies` (the team's canned replies), and the
 * two links the server hands out, `/inbox/setup#token=…` and `/inbox/invite#token=…` (the token
 * in the fragment never reaches a server log).
 */
import { atom, type ReadableAtom } from 'nanostores'

export type Route =
  | { screen: 'inbox'; roomId?: string }
  | { screen: 'agents' }
  | { screen: 'integrations' }
  | { screen: 'replies' }
  | { screen: 'setup'; token?: string }
  | { screen: 'invite'; token?: string }

interface Place {
  pathname: string
  search: string
  hash: string
}

/** `base` is where the inbox is served, with a trailing slash: `/inbox/`. */
export function parseRoute({ pathname, search, hash }: Place, base: string): Route {
  const rest = pathname.startsWith(base) ? pathname.slice(base.length) : ''
  const page = rest.replace(/\/+$/, '')
  if (page === 'setup' || page === 'invite') {
    const token = new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? ''
    return token === '' ? { screen: page } : { screen: page, token }
  }
  const query = new URLSearchParams(search)
  const view = query.get('view')
  if (view === 'agents' || view === 'integrations' || view === 'replies') return { screen: view }
  const roomId = query.get('c')
  return roomId ? { screen: 'inbox', roomId } : { screen: 'inbox' }
}

export function routeHref(route: Route, base: string): string {
  switch (route.screen) {
    case 'inbox':
      return route.roomId ? `${base}?c=${encodeURIComponent(route.roomId)}` : base
    case 'agents':
    case 'integrations':
    case 'replies':
      return `${base}?view=${route.screen}`
    default:
      // Links with tokens are only ever opened, never made by the inbox.
      return `${base}${route.screen}`
  }
}

export interface Router {
  readonly $route: ReadableAtom<Route>
  /** Goes to `route`; `replace` rewrites the current history entry instead of adding one. */
  navigate(route: Route, options?: { replace?: boolean }): void
  /**
   * Back to `to`: the browser's own back when the inbox itself came from there (so the phone's
   * back button and the inbox's agree), else a replacement of this entry.
   */
  back(to: Route): void
  destroy(): void
}

/** Marks history entries the inbox added, with the route they came from. */
interface EntryState {
  from: string
}

export function createRouter(win: Window, base: string): Router {
  const $route = atom<Route>(parseRoute(win.location, base))
  const onPop = () => $route.set(parseRoute(win.location, base))
  win.addEventListener('popstate', onPop)
  return {
    $route,
    navigate(route, options = {}) {
      const href = routeHref(route, base)
      const from = routeHref($route.get(), base)
      if (options.replace) win.history.replaceState(win.history.state, '', href)
      else win.history.pushState({ from } satisfies EntryState, '', href)
      $route.set(route)
    },
    back(to) {
      const state = win.history.state as EntryState | null
      if (state?.from === routeHref(to, base)) {
        win.history.back()
        // popstate brings the route; set it now too, so the screen does not wait for the event.
        $route.set(to)
      } else {
        this.navigate(to, { replace: true })
      }
    },
    destroy: () => win.removeEventListener('popstate', onPop),
  }
}
