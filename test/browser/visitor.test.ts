/**
 * What a visitor sees of away mode, the pre-chat form, closed conversations, delete with undo,
 * errors in the widget's language, the chime, the mute switch and the unread count in the title:
 * the script tag on a plain page under the strict CSP, real Chromium, the real server with the
 * site's settings, and an agent on the core client. Screenshots go to test-output/screenshots.
 */
import { readFileSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createChatClient, memoryStorage, type ChatClient } from '../../src'
import { MAX_TEXT_LENGTH } from '../../src/protocol'
import { manualEnvironment } from '../../src/core/util/environment'
import { createChatServer, type ChatServer, type ChatServerOptions } from '../../src/server'
import { WEEKDAYS } from '../../src/server/site/business-hours'
import { openRecordingPage, screenshotPath, type PageProblems } from './support/chromium'
import { useChromiumAndSite } from './support/chromium-site'

const AGENT_TOKEN = 'visitor-agent'
const env = useChromiumAndSite()

async function startChat(options: Partial<ChatServerOptions> = {}): Promise<ChatServer> {
  const server = await createChatServer({ host: '127.0.0.1', agentToken: AGENT_TOKEN, secret: 'visitor-secret', allowedOrigins: [env.site.url], ...options })
  env.cleanups.push(() => server.close())
  return server
}

/** An agent with the inbox open: the site has an agent online. */
function startAgent(server: ChatServer): ChatClient {
  const agent = createChatClient({ url: server.url, role: 'agent', token: AGENT_TOKEN, storage: memoryStorage(), environment: manualEnvironment() })
  env.cleanups.push(() => agent.destroy())
  return agent
}

async function newContext(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const context = await env.browser.newContext({ viewport: { width: 900, height: 760 }, ...options })
  env.cleanups.push(() => context.close())
  return context
}

async function openShop(context: BrowserContext, server: ChatServer, query = '&open=1'): Promise<{ page: Page; problems: PageProblems }> {
  const opened = await openRecordingPage(context)
  await opened.page.goto(`${env.site.url}/shop.html?server=${encodeURIComponent(server.url)}${query}`)
  await opened.page.locator('[data-obrolan-widget] button').first().waitFor()
  return opened
}

const dialog = (page: Page) => page.getByRole('dialog')
const composer = (page: Page) => dialog(page).locator('textarea')
const connected = (page: Page) => expect.poll(() => page.locator('[data-status]').first().getAttribute('data-status'), { timeout: 10_000 }).toBe('connected')

async function roomOf(agent: ChatClient): Promise<string> {
  await expect.poll(() => agent.conversations.get().length, { timeout: 10_000 }).toBe(1)
  return agent.conversations.get()[0]!.roomId
}

function expectNoProblems(problems: PageProblems): void {
  expect(problems.cspViolations).toEqual([])
  expect(problems.pageErrors).toEqual([])
  expect(problems.consoleErrors).toEqual([])
}

describe('away mode in Chromium', () => {
  it('with no agent online says so, and a required e-mail address comes before the message; an agent coming online ends it', async () => {
    const server = await startChat({ awayEmail: 'required' })
    const { page, problems } = await openShop(await newContext(), server)
    await connected(page)
    await expect.poll(() => dialog(page).getByRole('note').textContent()).toContain('No one is online right now. Leave a message and we’ll reply as soon as we can.')
    expect(await dialog(page).locator('.presence').textContent()).toBe('We’re away')

    await composer(page).fill('Apakah kopi Toraja masih ada?')
    await composer(page).press('Enter')
    await dialog(page).getByText('Leave your e-mail address first, so we can reply.').waitFor()
    // The e-mail field has the focus, and the message waits in the composer.
    expect(await page.evaluate(() => document.querySelector('[data-obrolan-widget]:not([data-obrolan-loader])')?.shadowRoot?.activeElement?.id)).toBe('obrolan-email')
    expect(await composer(page).inputValue()).toBe('Apakah kopi Toraja masih ada?')
    await page.screenshot({ path: screenshotPath('30-away-email-required') })

    await dialog(page).getByLabel('Leave your e-mail address so we can reply:').fill('not an address')
    await dialog(page).getByRole('button', { name: 'Save' }).click()
    await dialog(page).getByText('That is not an e-mail address.').waitFor()
    await dialog(page).getByLabel('Leave your e-mail address so we can reply:').fill('ani@toko.example')
    await dialog(page).getByRole('button', { name: 'Save' }).click()
    await dialog(page).getByText('We’ll also reply to ani@toko.example.').waitFor()
    await composer(page).press('Enter')
    await dialog(page).getByRole('img', { name: 'Sent' }).waitFor()
    await page.screenshot({ path: screenshotPath('31-away-email-given') })

    // Stored, with the address, for the team to see when it is back.
    const agent = startAgent(server)
    const roomId = await roomOf(agent)
    expect((await server.store.getMessages(roomId, { limit: 10 })).messages.map((m) => m.text)).toEqual(['Apakah kopi Toraja masih ada?'])
    expect((await server.store.getConversation(roomId))?.contact).toEqual({ email: 'ani@toko.example' })
    // The agent's inbox is open: the header says so and the notice goes.
    await expect.poll(() => dialog(page).locator('.presence').textContent(), { timeout: 5000 }).toBe('We’re online')
    expect(await dialog(page).getByRole('note').count()).toBe(0)
    await dialog(page).getByRole('img', { name: 'Delivered' }).waitFor()
    await page.screenshot({ path: screenshotPath('32-agent-came-online') })
    expectNoProblems(problems)
  })

  it('outside business hours says when the team is back, in Indonesian, with an agent online all the same', async () => {
    // Open only on the day after tomorrow (UTC): now is outside business hours.
    const day = WEEKDAYS[(new Date().getUTCDay() + 2) % 7]!
    const server = await startChat({ businessHours: { timeZone: 'UTC', days: { [day]: '09:00-17:00' } }, awayEmail: 'optional' })
    startAgent(server)
    await expect.poll(() => server.io.sockets.sockets.size, { timeout: 5000 }).toBe(1)
    const { page, problems } = await openShop(await newContext({ locale: 'id-ID', timezoneId: 'UTC' }), server, '&open=1&locale=id')
    await connected(page)
    const note = dialog(page).getByRole('note')
    await expect.poll(() => note.textContent()).toMatch(/^Kami kembali .+ 09\.00\. Tinggalkan pesan, kami akan membalas saat itu\./)
    expect(await note.getByLabel(/Terima balasan lewat e-mail juga/).count()).toBe(1)
    expect(await dialog(page).locator('.presence').textContent()).toBe('Kami sedang tidak ada')
    await page.screenshot({ path: screenshotPath('33-away-outside-hours-id') })
    expectNoProblems(problems)
  })
})

describe('the pre-chat form in Chromium', () => {
  it('asks what the site configured before the first message, refuses what is missing, and tells the team', async () => {
    const server = await startChat({
      preChatForm: {
        name: 'required',
        email: 'optional',
        fields: [
          { id: 'order', label: 'Order number' },
          { id: 'topic', label: 'Topic', required: true, options: ['Shipping', 'Beans'] },
        ],
      },
    })
    const agent = startAgent(server)
    const { page, problems } = await openShop(await newContext(), server)
    await dialog(page).getByRole('heading', { name: 'Before we start' }).waitFor()
    expect(await composer(page).count()).toBe(0)
    await dialog(page).getByRole('button', { name: 'Start chat' }).click()
    const fieldErrors = () => dialog(page).locator('.field-error').allTextContents()
    await expect.poll(fieldErrors).toEqual(['Name is required.', 'Topic is required.'])
    await page.screenshot({ path: screenshotPath('34-pre-chat-missing') })

    await dialog(page).getByLabel('Name').fill('Ani')
    // Fixed, so no longer called wrong; the other stays until it is.
    await expect.poll(fieldErrors).toEqual(['Topic is required.'])
    await dialog(page).getByLabel(/Order number/).fill('TK-1042')
    await dialog(page).getByLabel('Topic').selectOption('Shipping')
    await page.screenshot({ path: screenshotPath('35-pre-chat-filled') })
    await dialog(page).getByRole('button', { name: 'Start chat' }).click()
    await composer(page).waitFor()
    await expect.poll(() => page.evaluate(() => document.querySelector('[data-obrolan-widget]:not([data-obrolan-loader])')?.shadowRoot?.activeElement?.tagName)).toBe('TEXTAREA')
    await composer(page).fill('Paket saya belum sampai.')
    await composer(page).press('Enter')
    await dialog(page).getByRole('img', { name: 'Delivered' }).waitFor()
    await page.screenshot({ path: screenshotPath('36-pre-chat-done') })

    const roomId = await roomOf(agent)
    expect((await server.store.getConversation(roomId))?.contact).toEqual({ name: 'Ani', fields: { order: 'TK-1042', topic: 'Shipping' } })
    // Asked once: a reload goes straight to the conversation.
    await page.reload()
    await dialog(page).getByText('Paket saya belum sampai.').waitFor()
    expect(await dialog(page).getByRole('heading', { name: 'Before we start' }).count()).toBe(0)
    expectNoProblems(problems)
  })
})

describe('the conversation in Chromium', () => {
  it('deletes with an undo, keeps rows as tall as their bubbles, shows a closed conversation and reopens it with the next message', async () => {
    const server = await startChat()
    const agent = startAgent(server)
    const { page, problems } = await openShop(await newContext(), server)
    await connected(page)
    for (const text of ['Halo', 'Saya mau pesan kopi', 'Yang Gayo Wine']) {
      await composer(page).fill(text)
      await composer(page).press('Enter')
    }
    const roomId = await roomOf(agent)
    await agent.openConversation(roomId)
    agent.send('Baik, berapa bungkus?')
    agent.markRead()
    await dialog(page).getByText('Baik, berapa bungkus?').waitFor()
    await expect.poll(() => dialog(page).locator('.row.own[data-status="read"]').count(), { timeout: 5000 }).toBe(3)

    // No gap under the visitor's own bubbles: a one-line row of the visitor's is as tall as one of the agent's.
    const heights = await dialog(page).locator('.row:not(.greeting)').evaluateAll((rows) => rows.map((row) => Math.round(row.getBoundingClientRect().height)))
    expect(heights).toHaveLength(4)
    expect(new Set(heights).size).toBe(1)

    // Delete, then undo: the message stays, on the screen and at the server.
    const second = dialog(page).locator('.row.own').nth(1)
    await second.getByRole('button', { name: 'Delete' }).click()
    await dialog(page).getByText('Message deleted.').waitFor()
    await page.screenshot({ path: screenshotPath('37-delete-undo') })
    await dialog(page).getByRole('button', { name: 'Undo' }).click()
    await dialog(page).getByText('Saya mau pesan kopi').waitFor()
    // Delete the third for good: once the undo time is over it is deleted at the server.
    await dialog(page).locator('.row.own').nth(2).getByRole('button', { name: 'Delete' }).click()
    await dialog(page).getByText('This message was deleted').waitFor({ timeout: 10_000 })
    const stored = (await server.store.getMessages(roomId, { limit: 10 })).messages
    expect(stored.map((m) => [m.text, m.deleted === true])).toEqual([
      ['Halo', false],
      ['Saya mau pesan kopi', false],
      ['', true],
      ['Baik, berapa bungkus?', false],
    ])

    // The agent closes the conversation: a line in the list, and the composer says a message reopens it.
    await agent.setConversationStatus('closed')
    await dialog(page).getByText('This conversation was closed.').waitFor()
    await dialog(page).getByText('Closed. A new message opens it again.').waitFor()
    await page.screenshot({ path: screenshotPath('38-conversation-closed') })
    await composer(page).fill('Dua bungkus, terima kasih')
    await composer(page).press('Enter')
    await expect.poll(async () => (await server.store.getConversation(roomId))?.status, { timeout: 5000 }).toBe('open')
    await expect.poll(() => dialog(page).getByText('This conversation was closed.').count(), { timeout: 5000 }).toBe(0)
    expect(await dialog(page).getByText('Closed. A new message opens it again.').count()).toBe(0)
    expectNoProblems(problems)
  })

  it('says why a message was refused in the widget’s language', async () => {
    const server = await startChat()
    const { page, problems } = await openShop(await newContext(), server, '&open=1&locale=id')
    await connected(page)
    await composer(page).fill('k'.repeat(MAX_TEXT_LENGTH + 1))
    await composer(page).press('Enter')
    await dialog(page).getByRole('alert').getByText('Pesan ini terlalu panjang.').waitFor()
    // Refused, not lost: the text stays for the visitor to shorten.
    expect((await composer(page).inputValue()).length).toBe(MAX_TEXT_LENGTH + 1)
    await page.screenshot({ path: screenshotPath('39-error-in-indonesian') })
    expectNoProblems(problems)
  })
})

describe('notifications in Chromium', () => {
  /** Counts the chimes the page plays (each is two notes on the page's real Web Audio). */
  const countChimes = (page: Page) =>
    page.addInitScript(() => {
      // Chromium driven by a test counts every page as already activated by the user; here the
      // page is told the truth of the test: nobody has clicked or typed yet.
      Object.defineProperty(navigator, 'userActivation', { configurable: true, value: { hasBeenActive: false, isActive: false } })
      const played = { notes: 0 }
      ;(window as unknown as { __chime: typeof played }).__chime = played
      const create = AudioContext.prototype.createOscillator
      AudioContext.prototype.createOscillator = function (this: AudioContext) {
        played.notes++
        return create.call(this)
      }
    })
  const chimes = (page: Page) => page.evaluate(() => (window as unknown as { __chime: { notes: number } }).__chime.notes / 2)
  /** Headless Chromium shows every page; this is what the page is told when its tab is hidden or shown. */
  const setHidden = (page: Page, hidden: boolean) =>
    page.evaluate((hidden) => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') })
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden })
      document.dispatchEvent(new Event('visibilitychange'))
    }, hidden)

  it('chimes only after the visitor’s first interaction and not when muted (remembered); the title counts unread while hidden and comes back exactly', async () => {
    const server = await startChat()
    const agent = startAgent(server)
    const context = await newContext()
    const first = await openShop(context, server)
    await connected(first.page)
    await composer(first.page).fill('Halo, ada yang bisa bantu?')
    await composer(first.page).press('Enter')
    await first.page.getByRole('img', { name: 'Delivered' }).waitFor()
    const roomId = await roomOf(agent)
    await agent.openConversation(roomId)
    await first.page.close()
    expectNoProblems(first.problems)

    // A returning visitor in a new tab: nobody has touched this page yet.
    const { page, problems } = await openRecordingPage(context)
    await countChimes(page)
    await page.goto(`${env.site.url}/shop.html?server=${encodeURIComponent(server.url)}`)
    await page.locator('[data-obrolan-widget]:not([data-obrolan-loader]) button.launcher').waitFor()
    const title = await page.title()
    agent.send('Ada, silakan.')
    const badge = page.locator('[data-obrolan-widget]:not([data-obrolan-loader]) .launcher .badge')
    await expect.poll(() => badge.textContent(), { timeout: 10_000 }).toContain('1')
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await chimes(page)).toBe(0)

    // After a click on the page, an agent's message chimes (the panel is closed).
    await page.locator('#headline').click()
    agent.send('Mau yang mana?')
    await expect.poll(() => badge.textContent(), { timeout: 10_000 }).toContain('2')
    await expect.poll(() => chimes(page), { timeout: 5000 }).toBe(1)

    // Hidden tab: the unread count goes before the page's title; shown again, the title is exactly the page's.
    await setHidden(page, true)
    agent.send('Kami tunggu ya.')
    await expect.poll(() => page.title(), { timeout: 5000 }).toBe(`(3) ${title}`)
    await expect.poll(() => chimes(page), { timeout: 5000 }).toBe(2)
    await page.screenshot({ path: screenshotPath('40-unread-badge') })
    await setHidden(page, false)
    expect(await page.title()).toBe(title)

    // Muted from the header's bell: no chime, and the choice outlives a reload.
    await badge.click()
    await dialog(page).getByText('Kami tunggu ya.').waitFor()
    const bell = dialog(page).getByRole('button', { name: 'Mute sounds' })
    expect(await bell.getAttribute('aria-pressed')).toBe('false')
    await bell.click()
    await expect.poll(() => bell.getAttribute('aria-pressed')).toBe('true')
    await page.screenshot({ path: screenshotPath('41-muted') })
    await dialog(page).getByRole('button', { name: 'Close chat' }).click()
    agent.send('Sudah dikirim.')
    await expect.poll(() => badge.textContent(), { timeout: 10_000 }).toContain('1')
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await chimes(page)).toBe(2)
    await page.reload()
    await page.locator('[data-obrolan-widget]:not([data-obrolan-loader]) button.launcher').click()
    await expect.poll(() => dialog(page).getByRole('button', { name: 'Mute sounds' }).getAttribute('aria-pressed')).toBe('true')
    expectNoProblems(problems)
  })

  it('stops every animation under prefers-reduced-motion', async () => {
    const server = await startChat()
    const agent = startAgent(server)
    const animationOf = (page: Page) =>
      page.evaluate(() => {
        const dot = document.querySelector('[data-obrolan-widget]:not([data-obrolan-loader])')!.shadowRoot!.querySelector('.typing .dots span')!
        return getComputedStyle(dot).animationName
      })
    const names: string[] = []
    for (const reducedMotion of ['no-preference', 'reduce'] as const) {
      const { page } = await openShop(await newContext({ reducedMotion }), server)
      await connected(page)
      await composer(page).fill(`motion ${reducedMotion}`)
      await composer(page).press('Enter')
      await expect.poll(() => agent.conversations.get().length, { timeout: 5000 }).toBe(names.length + 1)
      await agent.openConversation(agent.conversations.get().find((c) => c.lastMessage?.text === `motion ${reducedMotion}`)!.roomId)
      agent.setTyping(true)
      await dialog(page).locator('.typing').waitFor()
      names.push(await animationOf(page))
      agent.setTyping(false)
    }
    expect(names[0]).not.toBe('none')
    expect(names[1]).toBe('none')
  })
})

describe('the demo shop', () => {
  it('shows the very snippet it is added with', async () => {
    const html = readFileSync(new URL('../../demo/index.html', import.meta.url), 'utf8')
    const page = await (await newContext()).newPage()
    // Served here under the strict CSP and without the chat server: the page is looked at, not run.
    await page.goto(`${env.site.url}/demo/index.html`)
    const shown = await page.locator('pre.snippet').textContent()
    const snippet = /<!--[^>]*-->\s*(<script>[\s\S]*<\/script>)\s*<\/body>/.exec(html)![1]!
    const normalise = (text: string) => text.split('\n').map((line) => line.trim()).join('\n')
    expect(normalise(shown!)).toBe(normalise(snippet))
    await page.screenshot({ path: screenshotPath('42-demo-shop'), fullPage: true })
  })
})
