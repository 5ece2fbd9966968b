/**
 * What the widget tells agents about where the visitor is (`VisitorContext`): the page and its
 * title, the pages of this visit, the referrer the visit came from, the browser's language, time
 * zone and user agent, when this browser was first seen and how many visits it has made.
 *
 * A visit is a browsing session: it lasts while the tab's sessionStorage holds it and the visitor
 * has not been idle for 30 minutes. First-seen and the visit count live in the client's storage
 * (localStorage unless the site chose another), the visit's pages in sessionStorage. Single-page
 * sites are followed through `history.pushState`/`replaceState` and `popstate`/`hashchange`.
 */
import type { ChatClient, PageVisit, StorageLike, VisitorContext } from '../index'
import { CONTEXT_LIMITS, truncate } from '../protocol'
import { readJson, writeJson } from '../core/util/storage'

/** Idle longer than this, and the next page starts a new visit. */
export const VISIT_IDLE_MS = 30 * 60_000

/** Kept across visits (localStorage). */
export interface VisitorRecord {
  firstSeenAt: number
  visits: number
  lastSeenAt: number
}

/** Kept for this visit (sessionStorage). */
export interface VisitRecord {
  pages: PageVisit[]
  referrer?: string
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)

function parseVisitor(value: unknown): VisitorRecord | undefined {
  const record = value as Partial<VisitorRecord> | undefined
  return record && isNumber(record.firstSeenAt) && isNumber(record.visits) && isNumber(record.lastSeenAt) ? (record as VisitorRecord) : undefined
}

function parseVisit(value: unknown): VisitRecord | undefined {
  const record = value as Partial<VisitRecord> | undefined
  if (!record || !Array.isArray(record.pages)) return undefined
  const pages = record.pages.filter((page): page is PageVisit => typeof page?.url === 'string' && isNumber(page.at))
  return { pages, ...(typeof record.referrer === 'string' && { referrer: record.referrer }) }
}

/**
 * Pure: the records after the visitor is seen on `page` at `now`. A new visit starts without a
 * visit record in this tab or after `VISIT_IDLE_MS` idle; the same page seen again (a reload, a
 * title change) replaces its entry instead of adding one.
 */
export function recordPageView(
  visitor: VisitorRecord | undefined,
  visit: VisitRecord | undefined,
  page: PageVisit,
  referrer: string | undefined,
  now: number,
): { visitor: VisitorRecord; visit: VisitRecord } {
  const fresh = !visit || !visitor || now - visitor.lastSeenAt > VISIT_IDLE_MS
  if (fresh) {
    return {
      visitor: { firstSeenAt: visitor?.firstSeenAt ?? now, visits: (visitor?.visits ?? 0) + 1, lastSeenAt: now },
      visit: { pages: [page], ...(referrer && { referrer }) },
    }
  }
  const pages = visit.pages.slice()
  if (pages[pages.length - 1]?.url === page.url) pages.pop()
  pages.push(page)
  return { visitor: { ...visitor, lastSeenAt: now }, visit: { ...visit, pages: pages.slice(-CONTEXT_LIMITS.pages) } }
}

/** Pure: the context the records describe, clipped to the protocol's bounds. */
export function contextOf(visitor: VisitorRecord, visit: VisitRecord, browser: { locale?: string; timeZone?: string; userAgent?: string }): VisitorContext {
  const page = visit.pages[visit.pages.length - 1]
  return {
    ...(page && { page }),
    pages: visit.pages,
    ...(visit.referrer && { referrer: visit.referrer }),
    ...(browser.locale && { locale: truncate(browser.locale, 35) }),
    ...(browser.timeZone && { timeZone: truncate(browser.timeZone, 64) }),
    ...(browser.userAgent && { userAgent: truncate(browser.userAgent, CONTEXT_LIMITS.text) }),
    firstSeenAt: visitor.firstSeenAt,
    visits: visitor.visits,
  }
}

export interface PageContextOptions {
  win: Window & typeof globalThis
  client: ChatClient
  /** Where first-seen and the visit count are kept. */
  storage: StorageLike
  now?: () => number
}

/** Reports the page now and on every navigation; returns the function that stops following it. */
export function followPageContext({ win, client, storage, now = Date.now }: PageContextOptions): () => void {
  const visitorKey = `${client.storageKey}:visitor`
  const visitKey = `${client.storageKey}:visit`
  const session = sessionStorageOf(win)
  let reported = ''
  let timer: ReturnType<typeof setTimeout> | undefined
  let following = true

  const report = () => {
    timer = undefined
    const { location, document, navigator } = win
    const page: PageVisit = { url: truncate(location.href, CONTEXT_LIMITS.url), at: now() }
    const title = truncate(document.title.trim(), CONTEXT_LIMITS.title)
    if (title) page.title = title
    if (`${page.url} ${title}` === reported) return
    reported = `${page.url} ${title}`
    const referrer = document.referrer ? truncate(document.referrer, CONTEXT_LIMITS.url) : undefined
    // Without sessionStorage a visit ends only by idling: this page is all it holds.
    const visit = session ? parseVisit(readJson(session, visitKey)) : { pages: [] }
    const next = recordPageView(parseVisitor(readJson(storage, visitorKey)), visit, page, referrer, now())
    writeJson(storage, visitorKey, next.visitor)
    if (session) writeJson(session, visitKey, next.visit)
    const timeZone = new Intl.DateTimeFormat().resolvedOptions().timeZone
    try {
      client.setContext(contextOf(next.visitor, next.visit, { locale: navigator.language, timeZone, userAgent: navigator.userAgent }))
    } catch (error) {
      console.warn('obrolan widget: the page could not be reported to agents', error)
    }
  }
  // After a navigation the page sets its new title a moment later.
  const soon = () => {
    if (timer === undefined) timer = setTimeout(report, 100)
  }

  const history = win.history
  const wrapped = (['pushState', 'replaceState'] as const).map((name) => {
    const original = history[name]
    const wrapper = function (this: History, ...args: Parameters<History['pushState']>) {
      original.apply(this, args)
      if (following) soon()
    }
    history[name] = wrapper
    return { name, original, wrapper }
  })
  win.addEventListener('popstate', soon)
  win.addEventListener('hashchange', soon)
  report()

  return () => {
    following = false
    if (timer !== undefined) clearTimeout(timer)
    win.removeEventListener('popstate', soon)
    win.removeEventListener('hashchange', soon)
    // Put back only what is still ours: a script that wrapped history after us keeps its wrapper
    // (ours, under it, now just passes the call on).
    for (const { name, original, wrapper } of wrapped) if (history[name] === wrapper) history[name] = original
  }
}

function sessionStorageOf(win: Window): StorageLike | undefined {
  try {
    return win.sessionStorage ?? undefined
  } catch (error) {
    // Blocked (sandboxed frames, privacy settings): a visit then ends only after 30 idle minutes.
    console.warn('obrolan widget: sessionStorage is not available', error)
    return undefined
  }
}
