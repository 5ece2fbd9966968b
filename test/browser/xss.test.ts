/**
 * The XSS corpus in real Chromium, both ways: an agent sends it to the script-tag widget (as
 * messages, as its own name, and as the widget's title), and a visitor sends it to the agent
 * inbox (as messages and as its name). No payload may run and no foreign element may appear.
 */
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChatClient, memoryStorage } from '../../src'
import { manualEnvironment } from '../../src/core/util/environment'
import { createChatServer, type ChatServer } from '../../src/server'
import { createMemoryAccountStore } from '../../src/server/accounts/memory-account-store'
import { XSS_CORPUS, XSS_NAMES } from '../support/xss-corpus'
import { launchChromium, openRecordingPage, type PageProblems } from './support/chromium'
import { startStaticServer } from './support/static-server'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const AGENT_TOKEN = 'xss-agent'
const FOREIGN = 'script:not([src]), iframe, img, object, embed, details, math, body *[onload], svg:not([aria-hidden="true"])'

let browser: Browser
let site: Awaited<ReturnType<typeof startStaticServer>>
let server: ChatServer

beforeAll(async () => {
  browser = await launchChromium()
  site = await startStaticServer()
  server = await createChatServer({
    host: '127.0.0.1',
    allowedOrigins: [site.url],
    secret: 'xss-secret',
    // The agent's display name is hostile too.
    authenticateAgent: (token) => (token === AGENT_TOKEN ? { id: 'agent-x', role: 'agent', name: XSS_NAMES[1] } : undefined),
    // The agent inbox (dist/inbox, built by `npm run build`), signed in to through an account.
    accounts: createMemoryAccountStore(),
    files: { inbox: `${ROOT}dist/inbox` },
    rateLimits: { message: { perSecond: 1000, burst: 1000 } },
  })
})

afterAll(async () => {
  await server?.close()
  await site?.close()
  await browser?.close()
})

async function inspect(page: Page): Promise<{ foreign: string[]; badLinks: string[]; handlers: string[]; ran: number[] }> {
  return page.evaluate((foreignSelector) => {
    const roots: (Document | ShadowRoot)[] = [document]
    for (const el of document.querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot)
    const all = roots.flatMap((root) => [...root.querySelectorAll('*')])
    return {
      foreign: roots.flatMap((root) => [...root.querySelectorAll(foreignSelector)].map((el) => el.outerHTML.slice(0, 80))),
      badLinks: all.filter((el) => el.tagName === 'A' && !/^(https?:\/\/|mailto:|\.\/|\/)/.test(el.getAttribute('href') ?? '')).map((el) => el.outerHTML.slice(0, 80)),
      handlers: all.flatMap((el) => el.getAttributeNames().filter((name) => /^on/i.test(name)).map((name) => `${el.tagName}[${name}]`)),
      ran: (window as unknown as { __ran: number[] }).__ran,
    }
  }, FOREIGN)
}

/** No payload ran, no foreign element, link scheme or handler attribute appeared, no CSP report. */
async function expectNothingRan(page: Page, problems: PageProblems): Promise<void> {
  await page.waitForTimeout(300)
  const found = await inspect(page)
  expect(found.foreign).toEqual([])
  expect(found.badLinks).toEqual([])
  expect(found.handlers).toEqual([])
  expect(found.ran).toEqual([])
  expect(problems.cspViolations).toEqual([])
  expect(problems.pageErrors).toEqual([])
}

async function armTripwire(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const ran: number[] = []
    Object.assign(window, { __ran: ran, __xss: (n: number) => ran.push(n) })
  })
}

describe('XSS corpus in Chromium', () => {
  it('shows hostile agent messages, names and titles in the script-tag widget as text', async () => {
    const context = await browser.newContext()
    try {
      const { page, problems } = await openRecordingPage(context)
      await armTripwire(page)
      const query = new URLSearchParams({ server: server.url, open: '1', greeting: XSS_CORPUS[1]! })
      await page.goto(`${site.url}/shop.html?${query}`)
      await page.getByRole('dialog').waitFor()
      await page.locator('textarea').fill(XSS_CORPUS[0]!)
      await page.locator('textarea').press('Enter')

      const agent = createChatClient({ url: server.url, role: 'agent', token: AGENT_TOKEN, storage: memoryStorage(), environment: manualEnvironment() })
      try {
        await expect.poll(() => agent.conversations.get().length, { timeout: 10_000 }).toBeGreaterThan(0)
        await agent.openConversation(agent.conversations.get()[0]!.roomId)
        for (const text of XSS_CORPUS) agent.send(text)
        await page.getByText(XSS_CORPUS[22]!).waitFor({ timeout: 10_000 })
        await expect.poll(() => page.locator('.bubble').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(XSS_CORPUS.length + 1)
      } finally {
        agent.destroy()
      }
      await expectNothingRan(page, problems)
    } finally {
      await context.close()
    }
  })

  it('shows hostile visitor messages and names in the agent inbox as text', async () => {
    const visitor = createChatClient({ url: server.url, name: XSS_NAMES[2], storage: memoryStorage(), environment: manualEnvironment() })
    const context = await browser.newContext()
    try {
      for (const text of XSS_CORPUS) visitor.send(text)
      await expect.poll(() => visitor.messages.get().filter((m) => m.status !== 'pending').length, { timeout: 10_000 }).toBe(XSS_CORPUS.length)

      const { page, problems } = await openRecordingPage(context)
      await armTripwire(page)
      await context.addCookies([{ name: 'obrolan_session', value: await ownerSession(server), url: server.url }])
      await page.goto(`${server.url}/inbox/`)
      await page.getByRole('option').first().click()
      await page.getByText(XSS_CORPUS[23]!).waitFor({ timeout: 10_000 })
      await expectNothingRan(page, problems)
    } finally {
      visitor.destroy()
      await context.close()
    }
  })
})

/** The owner account, made through the setup link; returns its session cookie. */
async function ownerSession(chat: ChatServer): Promise<string> {
  const token = new URL(chat.setupUrl!).hash.replace('#token=', '')
  const response = await fetch(`${chat.url}/api/auth/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: chat.url },
    body: JSON.stringify({ token, name: XSS_NAMES[0], email: 'owner@example.com', password: 'correct horse battery' }),
  })
  expect(response.status).toBe(200)
  return /obrolan_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')![1]!
}
