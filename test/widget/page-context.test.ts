// @vitest-environment happy-dom
/**
 * What the widget tells agents about the visitor's page and browser: visits (a tab's session, or
 * 30 idle minutes), the pages of a visit, single-page navigation, and the protocol's bounds.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { memoryStorage, type VisitorContext } from '../../src/index'
import { mountWidget } from '../../src/widget'
import { contextOf, followPageContext, recordPageView, VISIT_IDLE_MS } from '../../src/widget/page-context'
import { createFakeClient } from './fake-client'

const page = (path: string, at: number) => ({ url: `https://toko.example/${path}`, at })

afterEach(() => {
  vi.useRealTimers()
  sessionStorage.clear()
  localStorage.clear()
  history.replaceState(null, '', '/')
  document.title = ''
})

describe('visits and pages', () => {
  it('counts a first view as the first visit, and pages of the same visit as pages', () => {
    const first = recordPageView(undefined, undefined, page('', 1000), 'https://search.example/', 1000)
    expect(first.visitor).toEqual({ firstSeenAt: 1000, visits: 1, lastSeenAt: 1000 })
    expect(first.visit).toEqual({ pages: [page('', 1000)], referrer: 'https://search.example/' })
    const second = recordPageView(first.visitor, first.visit, page('kopi', 2000), undefined, 2000)
    expect(second.visitor).toEqual({ firstSeenAt: 1000, visits: 1, lastSeenAt: 2000 })
    expect(second.visit).toEqual({ pages: [page('', 1000), page('kopi', 2000)], referrer: 'https://search.example/' })
    // The same page again (a reload) replaces its entry.
    expect(recordPageView(second.visitor, second.visit, page('kopi', 3000), undefined, 3000).visit.pages).toEqual([page('', 1000), page('kopi', 3000)])
  })

  it('starts a new visit after 30 idle minutes, or in a new tab (no visit record), keeping first-seen', () => {
    const one = recordPageView(undefined, undefined, page('', 0), undefined, 0)
    const stillOne = recordPageView(one.visitor, one.visit, page('a', VISIT_IDLE_MS), undefined, VISIT_IDLE_MS)
    expect(stillOne.visitor.visits).toBe(1)
    const later = VISIT_IDLE_MS * 2 + 1
    const two = recordPageView(stillOne.visitor, stillOne.visit, page('b', later), 'https://news.example/', later)
    expect(two.visitor).toEqual({ firstSeenAt: 0, visits: 2, lastSeenAt: later })
    expect(two.visit).toEqual({ pages: [page('b', later)], referrer: 'https://news.example/' })
    expect(recordPageView(two.visitor, undefined, page('c', later + 1), undefined, later + 1).visitor.visits).toBe(3)
  })

  it('keeps the last five pages of a visit', () => {
    let state = recordPageView(undefined, undefined, page('0', 0), undefined, 0)
    for (let i = 1; i < 8; i++) state = recordPageView(state.visitor, state.visit, page(String(i), i), undefined, i)
    expect(state.visit.pages.map((p) => p.url.slice(-1))).toEqual(['3', '4', '5', '6', '7'])
  })

  it('clips what the browser says to the protocol’s bounds', () => {
    const { visitor, visit } = recordPageView(undefined, undefined, page('', 1), undefined, 1)
    const context = contextOf(visitor, visit, { locale: 'id-ID', timeZone: 'Asia/Jakarta', userAgent: 'U'.repeat(400) })
    expect(context.userAgent).toHaveLength(256)
    expect(context).toMatchObject({ page: page('', 1), pages: [page('', 1)], locale: 'id-ID', timeZone: 'Asia/Jakarta', firstSeenAt: 1, visits: 1 })
  })
})

describe('following the page', () => {
  it('reports the page at once, then each single-page navigation with its new title, and lets history go on destroy', async () => {
    vi.useFakeTimers()
    const fake = createFakeClient()
    const reported = fake.client.setContext as ReturnType<typeof vi.fn>
    const storage = memoryStorage()
    history.replaceState(null, '', '/kopi')
    document.title = 'Kopi'
    const { pushState, replaceState } = history
    const stop = followPageContext({ win: window, client: fake.client, storage, now: () => 5000 })
    const first = reported.mock.lastCall![0] as VisitorContext
    expect(first.page).toEqual({ url: `${location.origin}/kopi`, title: 'Kopi', at: 5000 })
    expect(first).toMatchObject({ visits: 1, firstSeenAt: 5000, locale: navigator.language, userAgent: navigator.userAgent })
    expect(first.timeZone).toBe(new Intl.DateTimeFormat().resolvedOptions().timeZone)

    history.pushState({}, '', '/keranjang')
    document.title = 'Keranjang'
    await vi.advanceTimersByTimeAsync(150)
    const second = reported.mock.lastCall![0] as VisitorContext
    expect(second.page).toMatchObject({ url: `${location.origin}/keranjang`, title: 'Keranjang' })
    expect(second.pages!.map((p) => p.title)).toEqual(['Kopi', 'Keranjang'])
    // The visit's pages live in this tab's session; first-seen and visits in the client's storage.
    expect(JSON.parse(sessionStorage.getItem('obrolan:visit')!).pages).toHaveLength(2)
    expect(JSON.parse(storage.getItem('obrolan:visitor')!)).toMatchObject({ visits: 1 })

    // Back: the browser moves the address (as the unwrapped method does) and fires popstate.
    replaceState.call(history, null, '', '/kopi')
    document.title = 'Kopi'
    window.dispatchEvent(new PopStateEvent('popstate'))
    await vi.advanceTimersByTimeAsync(150)
    expect((reported.mock.lastCall![0] as VisitorContext).page?.url).toBe(`${location.origin}/kopi`)
    // A replaceState that changes neither address nor title reports nothing new.
    const calls = reported.mock.calls.length
    history.replaceState({ scroll: 1 }, '', '/kopi')
    await vi.advanceTimersByTimeAsync(150)
    expect(reported.mock.calls.length).toBe(calls)

    stop()
    expect(history.pushState).toBe(pushState)
    expect(history.replaceState).toBe(replaceState)
    history.pushState({}, '', '/bayar')
    await vi.advanceTimersByTimeAsync(150)
    expect(reported.mock.calls.length).toBe(calls)
  })

  it('is on for the client the widget makes, off with pageContext: false, and never for a client passed in', () => {
    const pushState = history.pushState
    const made = mountWidget({ url: 'http://127.0.0.1:9', clientOptions: { storage: memoryStorage() } })
    expect(history.pushState).not.toBe(pushState)
    made.destroy()
    expect(history.pushState).toBe(pushState)
    const off = mountWidget({ url: 'http://127.0.0.1:9', clientOptions: { storage: memoryStorage() }, pageContext: false })
    expect(history.pushState).toBe(pushState)
    off.destroy()
    const fake = createFakeClient()
    mountWidget({ client: fake.client }).destroy()
    expect(fake.client.setContext).not.toHaveBeenCalled()
  })
})
