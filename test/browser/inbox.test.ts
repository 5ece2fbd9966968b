/**
 * The agent inbox as a support team meets it, in real Chromium against the real server with agent
 * accounts (dist/inbox served at /inbox under its strict CSP): the owner's setup link, an invite,
 * two agents and three visitors, another agent typing, edits and deletes, status filters, keys, a
 * server restart with a reply typed while it was down, offline, a phone, dark mode in Indonesian,
 * and axe-core in each state. Screenshots go to test-output/screenshots/inbox-*.png. The tests
 * in this file are one story and run in order.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChatClient } from '../../src'
import { launchChromium, openRecordingPage, screenshotPath, type PageProblems } from './support/chromium'
import { axeViolations, PASSWORD, signIn, startInboxSite, startVisitor, until, type InboxSite } from './support/inbox-site'

let browser: Browser
let site: InboxSite
const contexts: BrowserContext[] = []
const visitors: ChatClient[] = []
const problems: PageProblems[] = []
let sari: Page
let budi: Page
let ani: ChatClient
let bayu: ChatClient
let citra: ChatClient

beforeAll(async () => {
  browser = await launchChromium()
  site = await startInboxSite()
})
afterAll(async () => {
  for (const visitor of visitors) visitor.destroy()
  for (const context of contexts) await context.close()
  await site?.close()
  await browser?.close()
})

async function openPage(options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce', ...options })
  contexts.push(context)
  const opened = await openRecordingPage(context)
  problems.push(opened.problems)
  return opened.page
}

function visitor(name: string): ChatClient {
  const client = startVisitor(site.url, name)
  visitors.push(client)
  return client
}

async function expectAccessible(page: Page, state: string): Promise<void> {
  const violations = await axeViolations(page)
  expect(violations, `axe in the ${state} state`).toEqual([])
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: screenshotPath(`inbox-${name}`) })
}

const row = (page: Page, name: string) => page.getByRole('option', { name: new RegExp(name) })
const log = (page: Page) => page.getByRole('log')
const reply = (page: Page) => page.getByLabel('Reply')

describe('the inbox', () => {
  it('signed out: sign-in labelled Email and Password, a wrong password said in words, the setup note', async () => {
    sari = await openPage()
    await sari.goto(`${site.url}/inbox/`)
    await sari.getByLabel('Email').fill('sari@example.com')
    await sari.getByLabel('Password').fill('not the password')
    await sari.getByRole('button', { name: 'Sign in' }).click()
    await sari.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor()
    await expect(sari.getByText('No account exists yet')).toBeTruthy()
    expect(await sari.getByText(/No account exists yet/).isVisible()).toBe(true)
    await shot(sari, 'signed-out')
    await expectAccessible(sari, 'signed out')
  })

  it('first run: the owner account from the setup link, then the empty inbox', async () => {
    expect(site.server.setupUrl).toMatch(/\/inbox\/setup#token=/)
    await sari.goto(site.server.setupUrl!)
    await sari.getByRole('heading', { name: 'Create the owner account' }).waitFor()
    await sari.getByLabel('Name').fill('Sari')
    await sari.getByLabel('Email').fill('sari@example.com')
    await sari.getByLabel('Password').fill('short')
    await sari.getByRole('button', { name: 'Create account' }).click()
    await sari.getByRole('alert').filter({ hasText: 'at least 10 characters' }).waitFor()
    await sari.getByLabel('Password').fill(PASSWORD)
    await sari.getByRole('button', { name: 'Create account' }).click()
    await sari.getByText('No conversations yet').waitFor()
    // The token left the address bar and the history.
    expect(new URL(sari.url()).hash).toBe('')
    await sari.getByRole('status').filter({ hasText: 'Connected' }).waitFor()
    await shot(sari, 'empty')
    await expectAccessible(sari, 'empty')
  })

  it('owners invite: the invite link opens the join screen for a second agent', async () => {
    await sari.getByRole('button', { name: 'Agents' }).click()
    await sari.getByLabel('Email').fill('budi@example.com')
    await sari.getByRole('button', { name: 'Create invite link' }).click()
    const link = await sari.getByLabel('Invite link').inputValue()
    expect(link).toMatch(/\/inbox\/invite#token=/)
    await expectAccessible(sari, 'agents')
    budi = await openPage()
    await budi.goto(link)
    await budi.getByRole('heading', { name: 'Join the team' }).waitFor()
    await budi.getByLabel('Name').fill('Budi')
    await budi.getByLabel('Password').fill(PASSWORD)
    await budi.getByRole('button', { name: 'Join' }).click()
    await budi.getByRole('heading', { name: 'Conversations' }).waitFor()
    await sari.reload()
    await sari.getByText('budi@example.com').waitFor()
    await shot(sari, 'agents')
    await sari.getByRole('button', { name: 'Back to the inbox' }).click()
  })

  it('lists three visitors newest first, live, with unread counts and online dots', async () => {
    ani = visitor('Ani')
    ani.send('Halo, my order has not arrived')
    await until(() => ani.messages.get().every((m) => m.status !== 'pending'), 'Ani’s first message')
    bayu = visitor('Bayu')
    bayu.send('Is the shop open on Sunday?')
    await until(() => bayu.messages.get().every((m) => m.status !== 'pending'), 'Bayu’s message')
    citra = visitor('Citra')
    citra.send('Hello')
    citra.send('Can I change my address?')
    await row(sari, 'Citra').waitFor()
    const names = await sari.locator('[role=option] .conv-name').allTextContents()
    expect(names).toEqual(['Citra', 'Bayu', 'Ani'])
    await until(async () => (await row(sari, 'Citra').textContent())?.includes('2 unread messages') ?? false, 'Citra’s unread count')
    expect(await row(sari, 'Ani').textContent()).toContain('online')
    expect(await row(sari, 'Citra').textContent()).toContain('Can I change my address?')
    await until(async () => (await sari.title()).startsWith('(4)'), 'the unread count in the title')
    await shot(sari, 'list')
    await expectAccessible(sari, 'list')
  })

  it('a conversation: names, times, a day separator, kept line breaks, links, read ticks, another agent here and typing', async () => {
    await row(sari, 'Ani').click()
    await sari.getByRole('heading', { name: 'Ani' }).waitFor()
    await log(sari).getByText('Halo, my order has not arrived').waitFor()
    expect(await log(sari).getByText('Today').count()).toBe(1)
    await reply(sari).fill('Hi Ani!\nSee https://example.com/track for the status.')
    await reply(sari).press('Enter')
    const own = sari.locator('.row.own').last()
    await own.locator('a[href="https://example.com/track"][rel="noopener noreferrer"]').waitFor()
    expect(await own.locator('.bubble').innerText()).toContain('Hi Ani!\nSee')
    await until(() => ani.messages.get().some((m) => m.text.startsWith('Hi Ani!')), 'the reply at Ani')
    ani.markRead()
    await own.locator('.ticks[data-status=read]').waitFor()

    // Budi opens the same conversation: Sari sees him there, then his typing, then his answer.
    await row(budi, 'Ani').click()
    await sari.getByText('Also here: Budi').waitFor()
    await reply(budi).pressSequentially('Let me check')
    await sari.getByText('Budi is typing…').waitFor()
    await reply(budi).press('Enter')
    await sari.locator('.row.team', { hasText: 'Let me check' }).waitFor()
    expect(await sari.locator('.author.team').last().textContent()).toBe('Budi')
    ani.setTyping(true)
    await sari.getByText('Ani is typing…').waitFor()
    await shot(sari, 'conversation')
    await expectAccessible(sari, 'conversation')
    ani.setTyping(false)
  })

  it('edits and deletes the agent’s own messages; the visitor sees both', async () => {
    await reply(sari).fill('Your parcel left on Monday')
    await reply(sari).press('Enter')
    const mine = sari.locator('.row.own', { hasText: 'Your parcel left on Monday' })
    await mine.locator('.ticks[data-status=sent], .ticks[data-status=delivered], .ticks[data-status=read]').waitFor()
    await mine.hover()
    await mine.getByRole('button', { name: 'Edit' }).click()
    await reply(sari).fill('Your parcel left on Tuesday')
    await reply(sari).press('Enter')
    await sari.locator('.row.own', { hasText: 'Your parcel left on Tuesday' }).getByText('edited').waitFor()
    await until(() => ani.messages.get().some((m) => m.text === 'Your parcel left on Tuesday' && m.editedAt !== undefined), 'the edit at Ani')
    const edited = sari.locator('.row.own', { hasText: 'Your parcel left on Tuesday' })
    await edited.hover()
    await edited.getByRole('button', { name: 'Delete' }).click()
    await sari.getByText('This message was deleted').waitFor()
    await until(() => ani.messages.get().some((m) => m.deleted), 'the delete at Ani')
  })

  it('changes status; the filters show open, pending, closed and all', async () => {
    await sari.getByLabel('Status').selectOption('pending')
    await until(async () => (await row(sari, 'Ani').count()) === 0, 'Ani to leave the open filter')
    await sari.getByRole('button', { name: 'Pending' }).click()
    await row(sari, 'Ani').waitFor()
    await sari.getByRole('button', { name: 'All' }).click()
    expect(await sari.locator('[role=option]').count()).toBe(3)
    await sari.getByRole('button', { name: 'Closed' }).click()
    await sari.getByText('Nothing here').waitFor()
    await sari.getByRole('button', { name: 'Open' }).click()
  })

  it('keys: j/k and arrows move, Enter opens into the reply box, Esc goes back, / goes to search', async () => {
    await sari.keyboard.press('Escape')
    await sari.getByText('Choose a conversation.').waitFor()
    await sari.locator('body').click({ position: { x: 5, y: 790 } })
    await sari.keyboard.press('j')
    const active = () => sari.getByRole('listbox').getAttribute('aria-activedescendant')
    const first = await active()
    await sari.keyboard.press('j')
    const second = await active()
    expect(second).not.toBe(first)
    await sari.keyboard.press('k')
    expect(await active()).toBe(first)
    await sari.keyboard.press('ArrowDown')
    expect(await active()).toBe(second)
    await sari.keyboard.press('Enter')
    await until(async () => (await sari.evaluate(() => document.activeElement?.id)) === 'reply', 'focus in the reply box')
    expect(new URL(sari.url()).searchParams.get('c')).toBeTruthy()
    await sari.keyboard.press('Escape')
    await until(async () => (await sari.evaluate(() => document.activeElement?.getAttribute('role'))) === 'listbox', 'focus back on the list')
    await sari.keyboard.press('/')
    expect(await sari.evaluate(() => document.activeElement?.id)).toBe('search')
  })

  it('a desktop notification and a chime when the agent is elsewhere, after turning them on', async () => {
    const page = await openPage()
    await page.context().grantPermissions(['notifications'], { origin: site.url })
    // Records what the page asks of the Notification API and of Web Audio (nothing is shown or played headless).
    await page.addInitScript(() => {
      const record = window as unknown as { __notes: string[][]; __chimes: number }
      record.__notes = []
      record.__chimes = 0
      const Real = window.Notification
      class Recorded extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options)
          record.__notes.push([title, options?.body ?? ''])
        }
      }
      Object.defineProperty(Recorded, 'permission', { get: () => Real.permission })
      Object.defineProperty(Recorded, 'requestPermission', { value: () => Real.requestPermission() })
      window.Notification = Recorded as typeof Notification
      const oscillator = AudioContext.prototype.createOscillator
      AudioContext.prototype.createOscillator = function (this: AudioContext) {
        record.__chimes++
        return oscillator.call(this)
      }
    })
    await signIn(page, site.url, 'sari@example.com')
    await page.getByRole('button', { name: 'Settings' }).click()
    await page.getByLabel('Show desktop notifications').check()
    await page.getByRole('button', { name: 'Settings' }).click()
    // The agent is in another window.
    await page.evaluate(() => (document.hasFocus = () => false))
    citra.send('Hello? Anyone?')
    await until(async () => (await page.evaluate(() => (window as unknown as { __notes: string[][] }).__notes.length)) > 0, 'a desktop notification')
    expect(await page.evaluate(() => (window as unknown as { __notes: string[][] }).__notes)).toEqual([['New message from Citra', 'Hello? Anyone?']])
    expect(await page.evaluate(() => (window as unknown as { __chimes: number }).__chimes)).toBeGreaterThan(0)
    await page.context().close()
  })

  it('a server restart: a reply typed while it is down waits, goes out once, and new messages arrive without a reload', async () => {
    await row(sari, 'Bayu').click()
    await sari.getByRole('heading', { name: 'Bayu' }).waitFor()
    await site.restart(async () => {
      await sari.getByRole('status').filter({ hasText: /Reconnecting|Cannot reach/ }).waitFor()
      await reply(sari).fill('Yes, 9 to 5 on Sundays')
      await reply(sari).press('Enter')
      await sari.getByText('1 reply is waiting to be sent').waitFor()
      await shot(sari, 'reconnecting')
    })
    await sari.getByRole('status').filter({ hasText: 'Connected' }).waitFor({ timeout: 15_000 })
    await until(() => bayu.messages.get().filter((m) => m.text === 'Yes, 9 to 5 on Sundays').length === 1, 'the reply at Bayu', 15_000)
    await until(() => bayu.status.get() === 'connected', 'Bayu back')
    bayu.send('Great, thanks!')
    await log(sari).getByText('Great, thanks!').waitFor()
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(bayu.messages.get().filter((m) => m.text === 'Yes, 9 to 5 on Sundays')).toHaveLength(1)
    expect(await sari.locator('.row', { hasText: 'Yes, 9 to 5 on Sundays' }).count()).toBe(1)
  })

  it('offline: said in words, the reply waits in the outbox and goes out when the network is back', async () => {
    await sari.context().setOffline(true)
    await sari.evaluate(() => window.dispatchEvent(new Event('offline')))
    await sari.getByRole('status').filter({ hasText: 'Offline' }).waitFor()
    await reply(sari).fill('Anything else?')
    await reply(sari).press('Enter')
    await sari.getByText('1 reply is waiting to be sent').waitFor()
    // Who is online is not known while offline: not shown rather than shown stale.
    expect(await sari.getByText('Visitor online').count()).toBe(0)
    await shot(sari, 'offline')
    await expectAccessible(sari, 'offline')
    await sari.context().setOffline(false)
    await sari.evaluate(() => window.dispatchEvent(new Event('online')))
    await until(() => bayu.messages.get().some((m) => m.text === 'Anything else?'), 'the offline reply at Bayu', 15_000)
  })

  it('a phone (375 px): the list and the conversation are two screens, with a way back', async () => {
    const phone = await openPage({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true })
    await signIn(phone, site.url, 'budi@example.com')
    expect(await phone.getByRole('log').count()).toBe(0)
    await shot(phone, 'phone-list')
    await expectAccessible(phone, 'phone list')
    await row(phone, 'Citra').tap()
    await phone.getByRole('log').waitFor()
    expect(await phone.getByRole('listbox').isVisible()).toBe(false)
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    await shot(phone, 'phone-conversation')
    await expectAccessible(phone, 'phone conversation')
    // The phone's back button and the inbox's agree: both go back to the list.
    await phone.goBack()
    await phone.getByRole('listbox').waitFor()
    await phone.goForward()
    await phone.getByRole('log').waitFor()
    await phone.getByRole('button', { name: 'Back to conversations' }).tap()
    await phone.getByRole('listbox').waitFor()
    expect(new URL(phone.url()).searchParams.get('c')).toBeNull()
    await phone.goForward()
    await phone.getByRole('log').waitFor()
  })

  it('dark mode in Indonesian', async () => {
    const page = await openPage({ colorScheme: 'dark', locale: 'id-ID' })
    await page.goto(`${site.url}/inbox/`)
    await page.getByLabel('Email').fill('sari@example.com')
    await page.getByLabel('Kata sandi').fill(PASSWORD)
    await page.getByRole('button', { name: 'Masuk' }).click()
    await page.getByRole('heading', { name: 'Percakapan' }).waitFor()
    await row(page, 'Bayu').click()
    await page.getByLabel('Balasan').waitFor()
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    expect(background).toBe('rgb(24, 24, 27)')
    await shot(page, 'dark-id')
    await expectAccessible(page, 'dark, Indonesian')
  })

  it('older history on scroll keeps the reader’s place', async () => {
    const visitorAuthor = { id: 'v-dewi', role: 'visitor' as const, name: 'Dewi' }
    const start = Date.now() - 3 * 86_400_000
    await site.store.openVisitorConversation(visitorAuthor, 'dewi-room', start)
    for (let i = 0; i < 160; i++) {
      const at = start + i * 20 * 60_000
      await site.store.appendMessage({ roomId: 'dewi-room', clientId: `d${i}`, author: visitorAuthor, text: `Dewi's message ${i}`, createdAt: at }, `m-dewi-${i}`)
    }
    await sari.goto(`${site.url}/inbox/?c=dewi-room`)
    await log(sari).getByText("Dewi's message 159").waitFor()
    expect(await log(sari).locator('.row').count()).toBe(50)
    // Each day of messages opens with its separator.
    expect(await log(sari).locator('.day').count()).toBeGreaterThanOrEqual(1)
    // The reader scrolls to the top: older messages load above, and the bubble they were looking
    // at stays where it was on the screen (measured in the same task as the scroll).
    const key = await log(sari).locator('.row').first().getAttribute('data-client-id')
    const bubble = log(sari).locator(`.row[data-client-id="${key}"] .bubble`)
    const before = await log(sari).evaluate((el, id) => {
      el.scrollTop = 0
      return el.querySelector(`.row[data-client-id="${id}"] .bubble`)!.getBoundingClientRect().y
    }, key)
    await until(async () => (await log(sari).locator('.row').count()) >= 100, 'the next page')
    // The bubble the reader saw first has not moved (the name above it may go: it no longer starts a run).
    await until(async () => Math.abs((await bubble.boundingBox())!.y - before) <= 1, 'the reader’s message where it was')
    await shot(sari, 'history')
  })

  it('owners remove an agent: his open inbox is signed out at once', async () => {
    await sari.getByRole('button', { name: 'Agents' }).click()
    await sari.getByRole('button', { name: 'Remove Budi' }).click()
    await sari.getByRole('button', { name: 'Remove', exact: true }).click()
    await until(async () => (await sari.getByText('budi@example.com').count()) === 0, 'Budi gone from the list')
    // Budi's open inbox, without a reload: the server cut his socket, his session is gone.
    await budi.getByRole('alert').filter({ hasText: 'Your session has ended. Sign in again.' }).waitFor()
    await budi.getByRole('button', { name: 'Sign in' }).waitFor()
  })

  it('signs out', async () => {
    await sari.getByRole('button', { name: 'Sign out' }).click()
    await sari.getByRole('button', { name: 'Sign in' }).waitFor()
    await sari.reload()
    await sari.getByRole('button', { name: 'Sign in' }).waitFor()
  })

  it('had no uncaught exception, console error or CSP violation on any page', () => {
    for (const seen of problems) {
      expect(seen.pageErrors).toEqual([])
      expect(seen.cspViolations).toEqual([])
      // A refused sign-in is a 401 the browser logs as a failed resource; nothing else may be.
      expect(seen.consoleErrors.filter((text) => !/status of (401|410)/.test(text) && !/ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED/.test(text))).toEqual([])
    }
  })
})
