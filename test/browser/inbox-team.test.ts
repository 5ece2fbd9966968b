/**
 * What a team shares in the inbox, in real Chromium against the real server with agent accounts:
 * two agents (Sari, the owner, and Budi) and three visitors — two on the core client in Node,
 * one on a real shop page with the script tag, whose widget reports the page and its single-page
 * navigation. Visitor details, assignment and the "Mine" filter, another agent typing, canned
 * replies, message search opening a long conversation at an old message, a server restart in the
 * middle, a phone, and axe-core in each new state. Screenshots go to
 * test-output/screenshots/team-*.png. The tests in this file are one story and run in order.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChatClient, memoryStorage, type ChatClient, type VisitorContext } from '../../src'
import { manualEnvironment } from '../../src/core/util/environment'
import { launchChromium, openRecordingPage, screenshotPath, type PageProblems } from './support/chromium'
import { axeViolations, PASSWORD, signIn, startInboxSite, until, type InboxSite } from './support/inbox-site'
import { startStaticServer } from './support/static-server'

let browser: Browser
let shop: Awaited<ReturnType<typeof startStaticServer>>
let site: InboxSite
const contexts: BrowserContext[] = []
const visitors: ChatClient[] = []
const problems: PageProblems[] = []
let sari: Page
let budi: Page
let citraPage: Page
let ani: ChatClient
let bayu: ChatClient

/** Ani's browser, as the widget would report it. */
const ANI_CONTEXT: VisitorContext = {
  page: { url: 'https://toko.example/pesanan/123', title: 'Pesanan 123', at: Date.now() - 60_000 },
  pages: [
    { url: 'https://toko.example/', title: 'Toko Kopi', at: Date.now() - 300_000 },
    { url: 'https://toko.example/pesanan/123', title: 'Pesanan 123', at: Date.now() - 60_000 },
  ],
  referrer: 'https://search.example/?q=kopi+toraja',
  locale: 'id-ID',
  timeZone: 'Asia/Jakarta',
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  firstSeenAt: Date.now() - 40 * 86_400_000,
  visits: 3,
}

beforeAll(async () => {
  browser = await launchChromium()
  shop = await startStaticServer()
  site = await startInboxSite({ allowedOrigins: [shop.url] })
  // The owner from the setup link and Budi from an invite, through the accounts API (the first
  // inbox test does both through the pages).
  const owner = await account('/api/auth/setup', { token: new URL(site.server.setupUrl!).hash.replace('#token=', ''), name: 'Sari', email: 'sari@example.com', password: PASSWORD })
  const invite = await account('/api/agents/invites', { email: 'budi@example.com' }, owner.cookie)
  const inviteUrl = (invite.body as { data: { inviteUrl: string } }).data.inviteUrl
  await account('/api/auth/accept-invite', { token: new URL(inviteUrl).hash.replace('#token=', ''), name: 'Budi', password: PASSWORD })
})
afterAll(async () => {
  for (const visitor of visitors) visitor.destroy()
  for (const context of contexts) await context.close()
  await site?.close()
  await shop?.close()
  await browser?.close()
})

/** A call to the accounts API as the inbox makes it; resolves to the body and the session cookie. */
async function account(path: string, body: object, cookie?: string): Promise<{ body: unknown; cookie: string }> {
  const response = await fetch(`${site.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: site.url, ...(cookie && { cookie }) },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`)
  return { body: await response.json(), cookie: response.headers.get('set-cookie')?.split(';')[0] ?? cookie ?? '' }
}

async function openPage(options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce', ...options })
  contexts.push(context)
  const opened = await openRecordingPage(context)
  problems.push(opened.problems)
  return opened.page
}

function visitor(name: string, context?: VisitorContext): ChatClient {
  const client = createChatClient({ url: site.url, name, storage: memoryStorage(), environment: manualEnvironment(), backoff: { minMs: 50, maxMs: 300 }, ...(context && { context }) })
  visitors.push(client)
  return client
}

async function expectAccessible(page: Page, state: string): Promise<void> {
  expect(await axeViolations(page), `axe in the ${state} state`).toEqual([])
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: screenshotPath(`team-${name}`) })
}

const row = (page: Page, name: string) => page.getByRole('option', { name: new RegExp(name) })
const rowNames = (page: Page) => page.locator('[role=option] .conv-name').allTextContents()
const reply = (page: Page) => page.getByLabel('Reply')
const details = (page: Page) => page.getByRole('complementary', { name: 'Visitor details' })
const fact = (page: Page, term: string) => details(page).locator('dl > div', { has: page.locator('dt', { hasText: new RegExp(`^${term}$`) }) }).locator('dd')
const sent = (client: ChatClient) => until(() => client.messages.get().every((m) => m.status !== 'pending'), 'the visitor’s messages stored')

describe('the inbox for a team', () => {
  it('three visitors: two with the context their browser reports, one on a real shop page that navigates without reloading', async () => {
    ani = visitor('Ani', ANI_CONTEXT)
    ani.send('Halo, where is my parcel?')
    await sent(ani)
    bayu = visitor('Bayu')
    bayu.send('Do you ship to Bali?')
    await sent(bayu)

    citraPage = await openPage()
    await citraPage.goto(`${shop.url}/shop.html?server=${encodeURIComponent(site.url)}`)
    await citraPage.getByRole('button', { name: /chat/i }).first().click()
    const composer = citraPage.getByRole('dialog').locator('textarea')
    await composer.fill('Hello from the shop page')
    await composer.press('Enter')
    await citraPage.getByRole('img', { name: 'Sent' }).waitFor({ timeout: 10_000 })
    // The shop is a single-page app: a new address and title without a page load.
    await citraPage.evaluate(() => {
      history.pushState({}, '', `${location.pathname}${location.search}&step=cart`)
      document.title = 'Keranjang — Toko Kopi'
    })

    sari = await openPage()
    await signIn(sari, site.url, 'sari@example.com')
    await until(async () => (await rowNames(sari)).length === 3, 'three conversations')
    expect(await rowNames(sari)).toEqual(['Shop visitor', 'Bayu', 'Ani'])
  })

  it('visitor details: the page now and this visit’s pages (followed through pushState), where from, browser, language, local time, visits', async () => {
    await row(sari, 'Shop visitor').click()
    await until(async () => (await fact(sari, 'Now on').textContent())?.includes('Keranjang — Toko Kopi') ?? false, 'the shop page’s navigation in the details', 10_000)
    const pages = await fact(sari, 'Pages this visit').locator('li a').allTextContents()
    expect(pages).toEqual(['Toko Kopi — a plain page with the chat snippet', 'Keranjang — Toko Kopi'])
    expect(await fact(sari, 'Now on').locator('a').getAttribute('href')).toMatch(/\/shop\.html\?server=.*&step=cart$/)
    // Chromium run by the tests says it is headless.
    expect(await fact(sari, 'Browser').textContent()).toMatch(/^Headless Chrome \d+ on Linux$/)
    expect(await fact(sari, 'Visits').textContent()).toBe('1')
    expect(await fact(sari, 'Came from').textContent()).toBe('Direct (no referrer)')

    await row(sari, 'Ani').click()
    await sari.getByRole('heading', { name: 'Ani' }).waitFor()
    expect(await fact(sari, 'Browser').textContent()).toBe('Safari 17 on iOS 17.4')
    expect(await fact(sari, 'Language').textContent()).toBe('Indonesian (Indonesia) (id-ID)')
    expect(await fact(sari, 'Time zone').textContent()).toBe('Asia/Jakarta')
    expect(await fact(sari, 'Local time').textContent()).toMatch(/\d\d:\d\d/)
    expect(await fact(sari, 'Came from').textContent()).toBe('https://search.example/?q=kopi+toraja')
    expect(await fact(sari, 'Visits').textContent()).toBe('3')
    await shot(sari, 'details')
    await expectAccessible(sari, 'visitor details')
  })

  it('assignment: Sari gives Ani to Budi; Budi’s "Mine" shows it, Sari’s "Unassigned" no longer does', async () => {
    budi = await openPage()
    await signIn(budi, site.url, 'budi@example.com')
    await sari.getByLabel('Assignee').selectOption({ label: 'Budi' })
    await until(async () => (await fact(sari, 'Assignee').textContent()) === 'Budi', 'Budi in the details')
    await budi.getByRole('button', { name: 'Mine' }).click()
    await until(async () => (await rowNames(budi)).join() === 'Ani', 'Ani in Budi’s Mine')
    expect(await row(budi, 'Ani').textContent()).not.toContain('assigned to')
    await sari.getByRole('button', { name: 'Unassigned' }).click()
    await until(async () => (await rowNames(sari)).join() === 'Shop visitor,Bayu', 'Ani out of Sari’s Unassigned')
    expect(await row(sari, 'Ani').count()).toBe(0)
    await shot(budi, 'mine')
    await expectAccessible(budi, 'the Mine filter')
    await sari.getByRole('button', { name: 'Anyone' }).click()
    await until(async () => (await row(sari, 'Ani').textContent())?.includes('assigned to Budi') ?? false, 'the assignee on Sari’s row')
  })

  it('another agent’s typing: Budi answers Ani, Sari sees him typing first', async () => {
    await row(budi, 'Ani').click()
    await reply(budi).pressSequentially('Your parcel is in Surabaya')
    await sari.getByText('Budi is typing…').waitFor()
    await reply(budi).press('Enter')
    await sari.locator('.row.team', { hasText: 'Your parcel is in Surabaya' }).waitFor()
    await until(() => ani.messages.get().some((m) => m.text === 'Your parcel is in Surabaya'), 'the answer at Ani')
  })

  it('canned replies: added on their page, offered with / in the reply box, inserted with Enter', async () => {
    await sari.getByRole('button', { name: 'Settings' }).click()
    await sari.getByRole('button', { name: 'Canned replies…' }).click()
    await sari.getByLabel('Name (typed after /)').fill('shipping')
    await sari.getByLabel('Text').fill('We ship everywhere in Indonesia within 3 days.')
    await sari.getByRole('button', { name: 'Save reply' }).click()
    await sari.getByText('Saved /shipping.').waitFor()
    await sari.getByLabel('Name (typed after /)').fill('hours')
    await sari.getByLabel('Text').fill('We are open 9 to 5, Monday to Saturday.')
    await sari.getByRole('button', { name: 'Save reply' }).click()
    await sari.getByText('Saved /hours.').waitFor()
    await shot(sari, 'canned-page')
    await expectAccessible(sari, 'the canned replies page')
    await sari.getByRole('button', { name: 'Back to the inbox' }).click()

    await row(sari, 'Bayu').click()
    await reply(sari).pressSequentially('Hi Bayu! /sh')
    const popup = sari.getByRole('listbox', { name: 'Canned replies' })
    await popup.waitFor()
    expect(await popup.getByRole('option').allTextContents()).toEqual(['/shippingWe ship everywhere in Indonesia within 3 days.'])
    expect(await reply(sari).getAttribute('aria-activedescendant')).toBe('canned-option-0')
    await shot(sari, 'canned-popup')
    await expectAccessible(sari, 'the canned reply list')
    await reply(sari).press('Enter')
    expect(await reply(sari).inputValue()).toBe('Hi Bayu! We ship everywhere in Indonesia within 3 days.')
    await reply(sari).press('Enter')
    await until(() => bayu.messages.get().some((m) => m.text === 'Hi Bayu! We ship everywhere in Indonesia within 3 days.'), 'the canned reply at Bayu')
  })

  it('search: every conversation’s messages by their words; a hit opens its conversation at that message, loading the history before it', async () => {
    const dewi = { id: 'v-dewi', role: 'visitor' as const, name: 'Dewi' }
    const start = Date.now() - 2 * 86_400_000
    await site.store.openVisitorConversation(dewi, 'dewi-room', start)
    for (let i = 0; i < 150; i++) {
      const text = i === 10 ? 'My parcel number is TKP-4471' : `Dewi's message ${i}`
      await site.store.appendMessage({ roomId: 'dewi-room', clientId: `d${i}`, author: dewi, text, createdAt: start + i * 60_000 }, `m-dewi-${i}`)
    }
    await sari.keyboard.press('Escape')
    await sari.locator('body').click({ position: { x: 5, y: 790 } })
    await sari.keyboard.press('/')
    await sari.keyboard.type('parcel')
    await sari.getByRole('status').filter({ hasText: '3 messages found' }).waitFor()
    const hits = sari.getByRole('button', { name: /in the conversation with/ })
    expect(await hits.evaluateAll((buttons) => buttons.map((b) => b.querySelector('.hit-name')!.textContent))).toEqual(['Ani', 'Ani', 'Dewi'])
    expect(await hits.last().locator('mark').allTextContents()).toEqual(['parcel'])
    await shot(sari, 'search')
    await expectAccessible(sari, 'search results')

    await hits.last().click()
    const target = sari.locator('.row.is-target')
    await target.waitFor({ timeout: 10_000 })
    expect(await target.textContent()).toContain('My parcel number is TKP-4471')
    // It is in view and has focus, so a screen reader reads it.
    expect(await target.evaluate((el) => el === document.activeElement)).toBe(true)
    const box = (await target.boundingBox())!
    const log = (await sari.getByRole('log').boundingBox())!
    expect(box.y).toBeGreaterThanOrEqual(log.y)
    expect(box.y + box.height).toBeLessThanOrEqual(log.y + log.height)
    await shot(sari, 'search-hit')
    await expectAccessible(sari, 'a conversation opened at a search hit')
    await sari.getByRole('button', { name: 'Clear search' }).click()
  })

  it('a server restart in the middle: both inboxes come back, and the filtered lists follow what changed while it was down', async () => {
    await site.restart(async () => {
      await budi.getByRole('status').filter({ hasText: /Reconnecting|Cannot reach/ }).waitFor()
      await shot(budi, 'restart')
    })
    await budi.getByRole('status').filter({ hasText: 'Connected' }).waitFor({ timeout: 15_000 })
    await sari.getByRole('status').filter({ hasText: 'Connected' }).waitFor({ timeout: 15_000 })
    await until(() => bayu.status.get() === 'connected', 'Bayu back')
    await row(sari, 'Bayu').click()
    await sari.getByLabel('Assignee').selectOption({ label: 'Budi' })
    await until(async () => (await rowNames(budi)).join() === 'Bayu,Ani', 'Bayu in Budi’s Mine after the restart')
    bayu.send('Thanks, and the price?')
    // Sari has it open, so it is read at once (the team shares one read mark); Budi's row moves on.
    await until(async () => (await row(budi, 'Bayu').textContent())?.includes('Thanks, and the price?') ?? false, 'the new message on Budi’s row')
    await sari.getByRole('log').getByText('Thanks, and the price?').waitFor()
    await sari.getByLabel('Search messages').fill('price')
    await sari.getByRole('status').filter({ hasText: '1 message found' }).waitFor()
    await sari.getByRole('button', { name: 'Clear search' }).click()
  })

  it('a phone (375 px): Mine, a conversation, the details behind their button', async () => {
    const phone = await openPage({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true })
    await signIn(phone, site.url, 'budi@example.com')
    await phone.getByRole('button', { name: 'Mine' }).tap()
    await until(async () => (await rowNames(phone)).join() === 'Bayu,Ani', 'Budi’s Mine on the phone')
    await shot(phone, 'phone-mine')
    await row(phone, 'Ani').tap()
    await phone.getByRole('log').waitFor()
    expect(await details(phone).isVisible()).toBe(false)
    await phone.getByRole('button', { name: 'Visitor details' }).tap()
    await details(phone).waitFor()
    expect(await fact(phone, 'Browser').textContent()).toBe('Safari 17 on iOS 17.4')
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    await shot(phone, 'phone-details')
    await expectAccessible(phone, 'the details on a phone')
    await phone.getByRole('button', { name: 'Close' }).tap()
    expect(await details(phone).isVisible()).toBe(false)
    expect(await phone.getByRole('button', { name: 'Visitor details' }).evaluate((el) => el === document.activeElement)).toBe(true)
  })

  it('had no uncaught exception, console error or CSP violation on any page', () => {
    for (const seen of problems) {
      expect(seen.pageErrors).toEqual([])
      expect(seen.cspViolations).toEqual([])
      expect(seen.consoleErrors.filter((text) => !/ERR_CONNECTION_REFUSED|ERR_INTERNET_DISCONNECTED/.test(text))).toEqual([])
    }
  })
})
