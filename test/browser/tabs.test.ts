/**
 * One conversation across tabs, in Chromium: three pages of one browser context with the script
 * tag under the strict CSP, the real server, an agent on the core client. The tabs share one
 * socket; the leader tab closes in the middle of a burst typed into it; another tab takes over
 * within two seconds, and every message typed appears once, in order, in every tab left and at
 * the agent.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createChatClient, memoryStorage, type ChatClient } from '../../src'
import { manualEnvironment } from '../../src/core/util/environment'
import { createChatServer, type ChatServer } from '../../src/server'
import { openRecordingPage, screenshotPath, type PageProblems } from './support/chromium'
import { useChromiumAndSite } from './support/chromium-site'

const AGENT_TOKEN = 'tabs-agent'
const env = useChromiumAndSite()

async function startChat(): Promise<ChatServer> {
  const server = await createChatServer({ host: '127.0.0.1', agentToken: AGENT_TOKEN, secret: 'tabs-secret', allowedOrigins: [env.site.url] })
  env.cleanups.push(() => server.close())
  return server
}

function startAgent(url: string): ChatClient {
  const agent = createChatClient({ url, role: 'agent', token: AGENT_TOKEN, storage: memoryStorage(), environment: manualEnvironment() })
  env.cleanups.push(() => agent.destroy())
  return agent
}

const visitorSocketIds = (server: ChatServer) => [...server.io.sockets.sockets.values()].filter((socket) => socket.data.user?.role === 'visitor').map((socket) => socket.id)
const visitorSockets = (server: ChatServer) => visitorSocketIds(server).length

/** The texts of the bubbles in a page's widget, in order. */
const bubbles = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector('[data-obrolan-widget]:not([data-obrolan-loader])')?.shadowRoot
    return [...(root?.querySelectorAll('.row:not(.greeting) .bubble') ?? [])].map((bubble) => bubble.textContent?.replace(/^You: |^[^:]+: /, '') ?? '')
  })

const dotStatus = (page: Page) => page.locator('[data-status]').first().getAttribute('data-status')

function expectNoProblems(problems: PageProblems): void {
  expect(problems.cspViolations).toEqual([])
  expect(problems.pageErrors).toEqual([])
  expect(problems.consoleErrors).toEqual([])
}

describe('one conversation across tabs in Chromium', () => {
  it('shares one socket; when the leader closes mid-burst another tab takes over within 2 s and every message shows once, in order, in every tab', async () => {
    const server = await startChat()
    const agent = startAgent(server.url)
    const context = await env.browser.newContext({ viewport: { width: 900, height: 760 } })
    env.cleanups.push(() => context.close())
    const shop = `${env.site.url}/shop.html?server=${encodeURIComponent(server.url)}&open=1`

    const tabs: { page: Page; problems: PageProblems }[] = []
    for (let i = 0; i < 3; i++) {
      const opened = await openRecordingPage(context)
      await opened.page.goto(shop)
      await opened.page.getByRole('dialog').waitFor()
      await expect.poll(() => dotStatus(opened.page), { timeout: 10_000 }).toBe('connected')
      tabs.push(opened)
    }
    expect(visitorSockets(server)).toBe(1)
    const [leader, second, third] = tabs as [(typeof tabs)[0], (typeof tabs)[0], (typeof tabs)[0]]

    // A burst typed into the leader tab, as a person types: the text goes in (the widget renders
    // it), then Enter in a task of its own. Each text is noted in localStorage in the same task as
    // its Enter, so the other tabs know exactly what was sent, whenever the tab closes.
    void leader.page
      .evaluate(async () => {
        const root = document.querySelector('[data-obrolan-widget]:not([data-obrolan-loader])')!.shadowRoot!
        const field = root.querySelector('textarea')!
        const nextTask = () => new Promise((resolve) => setTimeout(resolve, 5))
        for (let i = 0; i < 60; i++) {
          const text = `burst ${String(i).padStart(2, '0')}`
          field.value = text
          field.dispatchEvent(new InputEvent('input', { bubbles: true }))
          await nextTask()
          localStorage.setItem('tabs-test:typed', JSON.stringify([...JSON.parse(localStorage.getItem('tabs-test:typed') ?? '[]'), text]))
          field.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }))
          await nextTask()
        }
      })
      .catch(() => {}) // the page closes under it: that is the point
    const roomId = await expect.poll(() => agent.conversations.get()[0]?.roomId, { timeout: 10_000 }).toBeTruthy().then(() => agent.conversations.get()[0]!.roomId)
    await expect.poll(async () => (await server.store.getMessages(roomId, { limit: 100 })).messages.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(12)
    const [leaderSocket] = visitorSocketIds(server)
    const closedAt = Date.now()
    await leader.page.close()

    // Another tab leads within two seconds, on one socket again: a new one, the leader's is gone.
    const takenOver = () => {
      const ids = visitorSocketIds(server)
      return ids.length === 1 && ids[0] !== leaderSocket
    }
    await expect.poll(takenOver, { timeout: 2000, interval: 10 }).toBe(true)
    const takeover = Date.now() - closedAt
    expect(takeover).toBeLessThan(2000)
    await expect.poll(() => Promise.all([dotStatus(second.page), dotStatus(third.page)]), { timeout: 2000 }).toEqual(['connected', 'connected'])

    const typed: string[] = await second.page.evaluate(() => JSON.parse(localStorage.getItem('tabs-test:typed') ?? '[]'))
    expect(typed.length).toBeGreaterThanOrEqual(12)
    expect(typed.length).toBeLessThan(60)
    for (const tab of [second, third]) await expect.poll(() => bubbles(tab.page), { timeout: 15_000 }).toEqual(typed)
    await agent.openConversation(roomId)
    await expect.poll(() => agent.messages.get().map((m) => m.text), { timeout: 10_000 }).toEqual(typed)
    expect((await server.store.getMessages(roomId, { limit: 100 })).messages.map((m) => m.text)).toEqual(typed)
    expect(visitorSockets(server)).toBe(1)

    // The agent's answer and typing reach both tabs; reading in one clears the count in both.
    agent.setTyping(true)
    for (const tab of [second, third]) await tab.page.getByText('Agent is typing…').waitFor({ state: 'attached' })
    agent.send('Semua pesan sampai, terima kasih!')
    for (const tab of [second, third]) await tab.page.getByText('Semua pesan sampai, terima kasih!').waitFor()
    await second.page.screenshot({ path: screenshotPath('20-tabs-after-leader-closed') })
    await third.page.screenshot({ path: screenshotPath('21-tabs-third-tab') })
    for (const tab of [second, third]) expectNoProblems(tab.problems)
    console.log(`tabs: the next tab took over ${takeover} ms after the leader closed; ${typed.length} messages typed before it closed`)
  })
})
