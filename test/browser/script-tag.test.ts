/**
 * The script tag as a site owner meets it: a plain HTML page with a strict CSP and rude CSS,
 * the built `dist/obrolan.iife.js`, real Chromium, the real server, and an agent on the core
 * client. `npm test` builds `dist/` first.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createChatClient, memoryStorage, type ChatClient } from '../../src'
import { manualEnvironment } from '../../src/core/util/environment'
import { createChatServer, createMemoryStore, type ChatServer, type Store } from '../../src/server'
import { ChatError as ServerRefusal } from '../../src/server/errors'
import { openRecordingPage, screenshotPath, type PageProblems } from './support/chromium'
import { useChromiumAndSite } from './support/chromium-site'

const AGENT_TOKEN = 'browser-agent'
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

const env = useChromiumAndSite()

/** A store that refuses any message containing "refuse-me" while `refusing`, as a server policy would. */
function refusingStore(): Store & { refusing: boolean } {
  const store = Object.assign(createMemoryStore(), { refusing: true })
  const append = store.appendMessage.bind(store)
  store.appendMessage = async (input, id) => {
    if (store.refusing && input.text.includes('refuse-me')) {
      throw new ServerRefusal('forbidden', 'Links to that site are not allowed')
    }
    return append(input, id)
  }
  return store
}

async function startChat(store: Store = createMemoryStore(), port = 0): Promise<ChatServer> {
  const server = await createChatServer({
    host: '127.0.0.1',
    port,
    store,
    agentToken: AGENT_TOKEN,
    secret: 'browser-secret',
    // The test site is served from another port, i.e. another origin.
    allowedOrigins: [env.site.url],
  })
  env.cleanups.push(() => server.close())
  return server
}

function startAgent(url: string): ChatClient {
  const agent = createChatClient({ url, role: 'agent', token: AGENT_TOKEN, storage: memoryStorage(), environment: manualEnvironment() })
  env.cleanups.push(() => agent.destroy())
  return agent
}

async function newContext(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const context = await env.browser.newContext({ viewport: { width: 1024, height: 768 }, ...options })
  env.cleanups.push(() => context.close())
  return context
}

async function openShop(context: BrowserContext, server: ChatServer, query = ''): Promise<{ page: Page; problems: PageProblems }> {
  const opened = await openRecordingPage(context)
  await opened.page.goto(`${env.site.url}/shop.html?server=${encodeURIComponent(server.url)}${query}`)
  await opened.page.getByRole('button', { name: /chat/i }).first().waitFor()
  return opened
}

const launcher = (page: Page) => page.locator('[aria-expanded]').first()
const loaderLauncher = (page: Page) => page.locator('[data-obrolan-loader] button')
const widgetLauncher = (page: Page) => page.locator('[data-obrolan-widget]:not([data-obrolan-loader]) button.launcher')
const isChatFile = (url: string) => url.endsWith('/dist/obrolan.chat.js')
const isSocket = (url: string) => url.includes('/socket.io/')

/** Every URL the page asks for, sockets included, from before its first request. */
function recordRequests(page: Page): string[] {
  const urls: string[] = []
  page.on('request', (request) => urls.push(request.url()))
  page.on('websocket', (socket) => urls.push(socket.url()))
  return urls
}

/** What a launcher looks like to the eye: its box and the styles that draw it. */
function launcherLook(locator: ReturnType<Page['locator']>) {
  return locator.evaluate((el) => {
    const s = getComputedStyle(el)
    const box = el.getBoundingClientRect()
    const icon = el.querySelector('svg')!.getBoundingClientRect()
    return {
      box: [box.x, box.y, box.width, box.height],
      icon: [icon.x, icon.y, icon.width, icon.height],
      name: el.textContent,
      styles: Object.fromEntries(
        ['background-color', 'color', 'border-radius', 'box-shadow', 'outline', 'outline-offset', 'z-index', 'position', 'cursor', 'transform'].map(
          (p) => [p, s.getPropertyValue(p)],
        ),
      ),
    }
  })
}
const composer = (page: Page) => page.getByRole('dialog').locator('textarea')
const dot = (page: Page) => page.locator('[data-status]').first()

function expectNoProblems(problems: PageProblems): void {
  expect(problems.cspViolations).toEqual([])
  expect(problems.pageErrors).toEqual([])
  expect(problems.consoleErrors).toEqual([])
}

async function roomOfOnlyVisitor(agent: ChatClient): Promise<string> {
  await expect.poll(() => agent.conversations.get().length, { timeout: 10_000 }).toBeGreaterThan(0)
  return agent.conversations.get()[0]!.roomId
}

describe('script tag in Chromium', () => {
  it('chats with an agent under a strict CSP: message out, reply in, ticks to read', async () => {
    const server = await startChat()
    const agent = startAgent(server.url)
    const context = await newContext()
    const { page, problems } = await openShop(context, server)
    await page.screenshot({ path: screenshotPath('01-closed') })

    await launcher(page).click()
    await expect.poll(() => launcher(page).getAttribute('aria-expanded')).toBe('true')
    await expect.poll(() => dot(page).getAttribute('data-status')).toBe('connected')
    await composer(page).fill('Apakah kopi Toraja masih ada?')
    await composer(page).press('Enter')

    const roomId = await roomOfOnlyVisitor(agent)
    await agent.openConversation(roomId)
    await expect.poll(() => agent.messages.get().map((m) => m.text)).toEqual(['Apakah kopi Toraja masih ada?'])
    agent.send('Masih, tinggal 3 kantong.')
    await page.getByText('Masih, tinggal 3 kantong.').waitFor()

    // The page is open and visible, so the reply is read at once; the agent reads the question.
    await expect.poll(() => agent.messages.get()[1]?.status, { timeout: 10_000 }).toBe('read')
    agent.markRead()
    await page.getByRole('img', { name: 'Read' }).waitFor({ timeout: 10_000 })
    await page.screenshot({ path: screenshotPath('02-open-conversation') })

    // The script tag's `on` command forwarded the agent's message.
    expect(await page.evaluate(() => (window as unknown as { __events: { type: string }[] }).__events.map((e) => e.type))).toEqual(
      expect.arrayContaining(['open', 'message']),
    )
    expectNoProblems(problems)
  })

  it('keeps host CSS and widget CSS apart', async () => {
    const server = await startChat()
    const context = await newContext()
    const { page, problems } = await openShop(context, server, '&open=1')
    await page.getByRole('dialog').waitFor()
    const style = (selector: string, property: string) =>
      page.evaluate(([s, p]) => getComputedStyle(document.querySelector(s!)!).getPropertyValue(p!), [selector, property])
    // The page keeps its own (rude) styles…
    expect(await style('#page-box', 'color')).toBe('rgb(255, 0, 0)')
    expect(await style('#page-button', 'background-color')).toBe('rgb(255, 255, 0)')
    // …and none of them reach inside the widget.
    const inside = await launcher(page).evaluate((el) => {
      const s = getComputedStyle(el)
      return { background: s.backgroundColor, border: s.borderTopColor, position: s.position }
    })
    expect(inside.background).not.toBe('rgb(255, 255, 0)')
    expect(inside.border).not.toBe('rgb(255, 0, 0)')
    expect(inside.position).toBe('fixed')
    const bubbleColor = await page.getByText('Hi! How can we help?').evaluate((el) => getComputedStyle(el).color)
    expect(bubbleColor).not.toBe('rgb(255, 0, 0)')
    expectNoProblems(problems)
  })

  it('turns the dot red when the server goes away and green when it is back, losing nothing', async () => {
    const store = createMemoryStore()
    let server = await startChat(store)
    const port = server.port
    const context = await newContext()
    const { page } = await openShop(context, server, '&open=1')
    await expect.poll(() => dot(page).getAttribute('data-status')).toBe('connected')
    await composer(page).fill('before the outage')
    await composer(page).press('Enter')
    await page.getByRole('img', { name: 'Sent' }).waitFor()

    await server.close()
    await expect.poll(() => dot(page).getAttribute('data-tone'), { timeout: 15_000 }).toBe('red')
    await page.screenshot({ path: screenshotPath('03-server-down') })
    await composer(page).fill('during the outage')
    await composer(page).press('Enter')

    server = await startChat(store, port)
    await expect.poll(() => dot(page).getAttribute('data-tone'), { timeout: 20_000 }).toBe('green')
    const agent = startAgent(server.url)
    await agent.openConversation(await roomOfOnlyVisitor(agent))
    await expect.poll(() => agent.messages.get().map((m) => m.text), { timeout: 10_000 }).toEqual(['before the outage', 'during the outage'])
  })

  it('says so when the server comes back without the conversation, and sends what was unsent to the new one', async () => {
    let server = await startChat()
    const port = server.port
    const context = await newContext()
    const { page } = await openShop(context, server, '&open=1')
    await expect.poll(() => dot(page).getAttribute('data-status')).toBe('connected')
    await composer(page).fill('before the data was lost')
    await composer(page).press('Enter')
    await page.getByRole('img', { name: 'Sent' }).waitFor()

    await server.close()
    await expect.poll(() => dot(page).getAttribute('data-tone'), { timeout: 15_000 }).toBe('red')
    await composer(page).fill('written while it was down')
    await composer(page).press('Enter')
    // Back with an empty store, as a memory store or a Redis without persistence comes back.
    server = await startChat(createMemoryStore(), port)
    const notice = page.getByText('Earlier messages are no longer available. Anything unsent has been sent again.')
    await notice.waitFor({ timeout: 20_000 })
    await expect.poll(() => page.locator('[data-client-id]').allTextContents()).toEqual([expect.stringContaining('written while it was down')])
    await page.getByRole('img', { name: 'Sent' }).waitFor()
    await page.screenshot({ path: screenshotPath('10-conversation-lost') })
    const agent = startAgent(server.url)
    await agent.openConversation(await roomOfOnlyVisitor(agent))
    await expect.poll(() => agent.messages.get().map((m) => m.text), { timeout: 10_000 }).toEqual(['written while it was down'])
  })

  it('sends what was typed offline once the browser is back online', async () => {
    const server = await startChat()
    const agent = startAgent(server.url)
    const context = await newContext()
    const { page } = await openShop(context, server, '&open=1')
    await expect.poll(() => dot(page).getAttribute('data-status')).toBe('connected')

    await context.setOffline(true)
    await expect.poll(() => dot(page).getAttribute('data-status')).toBe('offline')
    expect(await dot(page).getAttribute('data-tone')).toBe('red')
    for (const text of ['typed offline 1', 'typed offline 2']) {
      await composer(page).fill(text)
      await composer(page).press('Enter')
    }
    await expect(page.getByRole('img', { name: 'Sending' }).count()).resolves.toBe(2)

    await context.setOffline(false)
    await expect.poll(() => dot(page).getAttribute('data-status'), { timeout: 15_000 }).toBe('connected')
    await agent.openConversation(await roomOfOnlyVisitor(agent))
    await expect.poll(() => agent.messages.get().map((m) => m.text), { timeout: 10_000 }).toEqual(['typed offline 1', 'typed offline 2'])
  })

  it('boots from data-* attributes with no code', async () => {
    const server = await startChat()
    const context = await newContext()
    const { page, problems } = await openRecordingPage(context)
    await page.goto(`${env.site.url}/data-boot.html?server=${encodeURIComponent(server.url)}`)
    await page.getByRole('dialog').waitFor()
    await page.getByText('Booted from data attributes').waitFor()
    expectNoProblems(problems)
  })

  it('takes screenshots of the narrow and dark states', async () => {
    const server = await startChat()
    const narrow = await newContext({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true })
    const { page: phone } = await openShop(narrow, server, '&open=1')
    await phone.getByRole('dialog').waitFor()
    const box = await phone.getByRole('dialog').boundingBox()
    expect(box?.width).toBe(375)
    await phone.screenshot({ path: screenshotPath('04-narrow-open') })

    const dark = await newContext({ colorScheme: 'dark' })
    const { page } = await openShop(dark, server, '&open=1')
    await page.getByRole('dialog').waitFor()
    await composer(page).fill('Selamat malam')
    await composer(page).press('Enter')
    await page.getByRole('img', { name: 'Sent' }).waitFor()
    const background = await page.getByRole('dialog').evaluate((el) => getComputedStyle(el).backgroundColor)
    expect(background).not.toBe('rgb(255, 255, 255)')
    await page.screenshot({ path: screenshotPath('05-dark-open') })
  })

  it('passes axe-core in the closed, open, typing and failed-message states', async () => {
    const server = await startChat(refusingStore())
    const agent = startAgent(server.url)
    // axe is injected as a script, which the strict CSP would rightly block. Reduced motion: axe
    // measures contrast as rendered, and a panel caught mid-fade is half transparent.
    const context = await newContext({ bypassCSP: true, reducedMotion: 'reduce' })
    const { page } = await openShop(context, server)
    await page.addScriptTag({ content: axeSource })
    const audit = async (state: string) => {
      const violations = await page.evaluate(async () => {
        // The widget is audited, shadow tree included; the test page around it is not ours.
        const widget = document.querySelector('[data-obrolan-widget]')!
        const axe = (window as unknown as { axe: { run(context: Element): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe
        const result = await axe.run(widget)
        return result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`)
      })
      expect(violations, state).toEqual([])
    }
    await audit('closed')

    await launcher(page).click()
    await page.getByRole('dialog').waitFor()
    await audit('open')

    await composer(page).fill('hello')
    await composer(page).press('Enter')
    await agent.openConversation(await roomOfOnlyVisitor(agent))
    agent.setTyping(true)
    await page.getByText(/typing/i).first().waitFor()
    await audit('typing')

    await composer(page).fill('please refuse-me')
    await composer(page).press('Enter')
    await page.getByText('Links to that site are not allowed').waitFor()
    await audit('failed message')
    await page.screenshot({ path: screenshotPath('06-failed-message') })
  })

  it('works with the keyboard alone: open, type, send, retry, close', async () => {
    const store = refusingStore()
    const server = await startChat(store)
    const context = await newContext()
    const { page, problems } = await openShop(context, server)
    const focusedLabel = () =>
      page.evaluate(() => {
        let el: Element | null = document.activeElement
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement
        return el ? `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') ?? el.textContent?.trim() ?? ''}` : ''
      })

    // Tab from the top of the page until the launcher has focus.
    for (let i = 0; i < 10 && !(await focusedLabel()).match(/chat/i); i++) await page.keyboard.press('Tab')
    expect(await focusedLabel()).toMatch(/chat/i)
    await page.keyboard.press('Enter')
    await expect.poll(focusedLabel).toMatch(/^textarea/)

    await page.keyboard.type('refuse-me once')
    await page.keyboard.press('Enter')
    await page.getByText('Links to that site are not allowed').waitFor()

    // Let the next attempt through, then reach Retry by keyboard.
    store.refusing = false
    for (let i = 0; i < 15 && !(await focusedLabel()).match(/retry/i); i++) await page.keyboard.press('Shift+Tab')
    expect(await focusedLabel()).toMatch(/retry/i)
    await page.keyboard.press('Enter')
    await page.getByRole('img', { name: 'Sent' }).waitFor()

    await composer(page).focus()
    await page.keyboard.press('Escape')
    await expect.poll(() => launcher(page).getAttribute('aria-expanded')).toBe('false')
    await expect.poll(focusedLabel).toMatch(/chat/i)
    expectNoProblems(problems)
  })

  it('fetches the chat and opens a socket only when a first-time visitor clicks the launcher', async () => {
    const server = await startChat()
    const context = await newContext()
    const { page, problems } = await openRecordingPage(context)
    const urls = recordRequests(page)
    // Hold the chat file back until the loader's launcher has been looked at.
    const release = await holdChatFile(page)
    await page.goto(`${env.site.url}/shop.html?server=${encodeURIComponent(server.url)}`)
    await loaderLauncher(page).waitFor()
    await page.waitForLoadState('networkidle')
    // Longer than the loader's idle deadline: nothing is fetched while the visitor only reads.
    await page.waitForTimeout(3500)
    expect(urls.filter((url) => isChatFile(url) || isSocket(url))).toEqual([])
    expect(await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('obrolan')))).toEqual([
      `${env.site.url}/dist/obrolan.iife.js`,
    ])
    await page.screenshot({ path: screenshotPath('00-loader-closed') })
    const before = await launcherLook(loaderLauncher(page))

    await loaderLauncher(page).click()
    await expect.poll(() => urls.filter(isChatFile).length).toBe(1)
    // While the chat is on its way, the launcher stays put and nothing connects yet.
    expect(await loaderLauncher(page).count()).toBe(1)
    expect(urls.filter(isSocket)).toEqual([])
    release()

    await page.getByRole('dialog').waitFor()
    await expect.poll(() => dot(page).getAttribute('data-status')).toBe('connected')
    expect(urls.filter(isSocket).length).toBeGreaterThan(0)
    expect(await loaderLauncher(page).count()).toBe(0)
    expect(await page.locator('[data-obrolan-widget]').count()).toBe(1)
    await page.screenshot({ path: screenshotPath('07-open-after-handover') })

    // Closed again, the widget's launcher is where the loader's was and looks the same.
    await page.mouse.move(0, 0)
    await page.keyboard.press('Escape')
    await expect.poll(() => widgetLauncher(page).getAttribute('aria-expanded')).toBe('false')
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
    await page.waitForTimeout(300)
    expect(await launcherLook(widgetLauncher(page))).toEqual(before)
    expect(before.name).toBe('Open chat')
    expectNoProblems(problems)
  })

  it('hands a focused launcher over with its focus ring, in light and dark', async () => {
    const server = await startChat()
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await newContext({ colorScheme })
      const { page, problems } = await openRecordingPage(context)
      const release = await holdChatFile(page)
      await page.goto(`${env.site.url}/shop.html?server=${encodeURIComponent(server.url)}`)
      await loaderLauncher(page).waitFor()
      // Keyboard focus, so :focus-visible applies; focus also starts fetching the chat (held here).
      for (let i = 0; i < 10 && !(await loaderLauncher(page).evaluate((el) => el.matches(':focus'))); i++) await page.keyboard.press('Tab')
      await page.waitForTimeout(300)
      const before = await launcherLook(loaderLauncher(page))
      expect(before.styles['outline']).toMatch(/solid 3px/)
      await page.screenshot({ path: screenshotPath(`09-loader-focused-${colorScheme}`), clip: { x: 900, y: 640, width: 124, height: 128 } })
      release()
      await widgetLauncher(page).waitFor()
      await expect.poll(() => widgetLauncher(page).evaluate((el) => el.matches(':focus-visible'))).toBe(true)
      await page.waitForTimeout(300)
      expect(await launcherLook(widgetLauncher(page))).toEqual(before)
      expect(await loaderLauncher(page).count()).toBe(0)
      expectNoProblems(problems)
    }
  })

  it('fetches the chat without a click for a returning visitor and shows the unread reply', async () => {
    const server = await startChat()
    const agent = startAgent(server.url)
    const context = await newContext()
    const first = await openShop(context, server, '&open=1')
    await composer(first.page).fill('Masih buka besok?')
    await composer(first.page).press('Enter')
    // The agent is online: its inbox has the message, so it is delivered.
    await first.page.getByRole('img', { name: 'Delivered' }).waitFor()
    await first.page.close()
    await agent.openConversation(await roomOfOnlyVisitor(agent))
    agent.send('Buka, jam 8 pagi.')

    // The next page view: same browser storage, no click.
    const { page, problems } = await openRecordingPage(context)
    const urls = recordRequests(page)
    await page.goto(`${env.site.url}/shop.html?server=${encodeURIComponent(server.url)}`)
    await expect.poll(() => urls.filter(isChatFile).length, { timeout: 10_000 }).toBe(1)
    await expect.poll(() => urls.filter(isSocket).length, { timeout: 10_000 }).toBeGreaterThan(0)
    await widgetLauncher(page).getByText('1 unread message').waitFor({ timeout: 10_000 })
    expect(await widgetLauncher(page).getAttribute('aria-expanded')).toBe('false')
    expect(await loaderLauncher(page).count()).toBe(0)
    await page.screenshot({ path: screenshotPath('08-returning-visitor-unread') })
    expectNoProblems(problems)
  })

  it('keeps the launcher when the chat file fails to load, says so once, and loads it on the next click', async () => {
    const server = await startChat()
    const context = await newContext()
    const { page, problems } = await openRecordingPage(context)
    let attempts = 0
    await page.route('**/obrolan.chat.js', async (route) => {
      attempts += 1
      if (attempts === 1) await route.fulfill({ status: 404, body: 'not found' })
      else await route.continue()
    })
    await page.goto(`${env.site.url}/shop.html?server=${encodeURIComponent(server.url)}`)
    await loaderLauncher(page).click()
    const ours = () => problems.consoleErrors.filter((text) => text.includes('Obrolan'))
    await expect.poll(ours).toEqual([expect.stringContaining('could not load the chat')])
    expect(await loaderLauncher(page).count()).toBe(1)
    expect(await page.getByRole('dialog').count()).toBe(0)

    await loaderLauncher(page).click()
    await page.getByRole('dialog').waitFor()
    await expect.poll(() => dot(page).getAttribute('data-status')).toBe('connected')
    expect(attempts).toBe(2)
    expect(ours()).toHaveLength(1)
    expect(problems.pageErrors).toEqual([])
    expect(problems.cspViolations).toEqual([])
  })
})

/** Holds every request for the chat file until the returned function is called. */
async function holdChatFile(page: Page): Promise<() => void> {
  let release!: () => void
  const held = new Promise<void>((resolve) => (release = resolve))
  await page.route('**/obrolan.chat.js', async (route) => {
    await held
    await route.continue()
  })
  return release
}
