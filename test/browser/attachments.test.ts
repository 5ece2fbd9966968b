/**
 * Files and reactions as a visitor meets them: the script tag on a page under the strict CSP
 * (no inline script or style, images only from the page's own origin), real Chromium, the real
 * server, an agent on the core client. Screenshots go to test-output/screenshots/ for a person to
 * look at.
 */
import type { BrowserContext, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createChatClient, memoryStorage, type ChatClient } from '../../src'
import { manualEnvironment } from '../../src/core/util/environment'
import { createChatServer, createMemoryStore, type ChatServer, type FileStore, type Store } from '../../src/server'
import { createMemoryFileStore } from '../../src/server/files/memory-file-store'
import { asFile, png } from '../support/sample-files'
import { openRecordingPage, screenshotPath, type PageProblems } from './support/chromium'
import { useChromiumAndSite } from './support/chromium-site'

const AGENT_TOKEN = 'browser-agent'
const env = useChromiumAndSite()

async function startChat(store: Store = createMemoryStore(), files: FileStore = createMemoryFileStore(), port = 0): Promise<ChatServer> {
  const server = await createChatServer({ host: '127.0.0.1', port, store, uploads: { store: files }, agentToken: AGENT_TOKEN, secret: 'browser-secret', allowedOrigins: [env.site.url] })
  env.cleanups.push(() => server.close())
  return server
}

function startAgent(url: string): ChatClient {
  const agent = createChatClient({ url, role: 'agent', token: AGENT_TOKEN, name: 'Sari', storage: memoryStorage(), environment: manualEnvironment() })
  env.cleanups.push(() => agent.destroy())
  return agent
}

async function openShop(context: BrowserContext, server: ChatServer): Promise<{ page: Page; problems: PageProblems }> {
  const opened = await openRecordingPage(context)
  await opened.page.goto(`${env.site.url}/shop.html?server=${encodeURIComponent(server.url)}&open=1`)
  await opened.page.getByRole('dialog').waitFor()
  return opened
}

async function newContext(): Promise<BrowserContext> {
  const context = await env.browser.newContext({ viewport: { width: 1024, height: 768 } })
  env.cleanups.push(() => context.close())
  return context
}

const dot = (page: Page) => page.locator('[data-status]').first()
const fileInput = (page: Page) => page.locator('[data-obrolan-widget] input[type=file]')

async function roomOfOnlyVisitor(agent: ChatClient): Promise<string> {
  await expect.poll(() => agent.conversations.get().length, { timeout: 10_000 }).toBeGreaterThan(0)
  return agent.conversations.get()[0]!.roomId
}

/** Where an element is on the page, to tell whether anything moved. */
const boxOf = (page: Page, selector: string) => page.locator(selector).first().evaluate((el) => JSON.stringify(el.getBoundingClientRect()))

describe('files and reactions in Chromium', () => {
  it('sends a picture and a PDF, shows the agent’s picture without a jump, full size on click, and reactions both ways, under a strict CSP', async () => {
    const server = await startChat()
    const agent = startAgent(server.url)
    const context = await newContext()
    const { page, problems } = await openShop(context, server)
    await expect.poll(() => dot(page).getAttribute('data-status')).toBe('connected')

    const photo = png(800, 600, [196, 120, 60], 60)
    await fileInput(page).setInputFiles([
      { name: 'kopi-toraja.png', mimeType: 'image/png', buffer: photo },
      { name: 'nota-april.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n') },
    ])
    const roomId = await roomOfOnlyVisitor(agent)
    await agent.openConversation(roomId)
    await expect.poll(() => agent.messages.get().map((m) => m.attachment?.name), { timeout: 10_000 }).toEqual(['kopi-toraja.png', 'nota-april.pdf'])
    expect(agent.messages.get()[0]!.attachment).toMatchObject({ type: 'image/png', width: 800, height: 600 })
    expect(Buffer.from(await (await agent.readFile(agent.messages.get()[0]!)).arrayBuffer()).equals(photo)).toBe(true)
    // The visitor's own picture is drawn from this device, at its reserved size (220 × 165).
    const ownThumb = page.locator('.row.own .thumb canvas').first()
    await expect.poll(() => page.locator('.row.own .thumb').first().getAttribute('data-state')).toBe('shown')
    expect(await ownThumb.evaluate((el) => [el.getBoundingClientRect().width, el.getBoundingClientRect().height])).toEqual([220, 165])
    await page.getByRole('button', { name: /Download: nota-april\.pdf, PDF/ }).waitFor()

    // The agent's picture comes slowly: its box and the message after it stay where they are.
    await page.route('**/api/files/**', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500))
      await route.continue()
    })
    agent.sendFile(asFile(png(300, 400, [40, 110, 70], 40), 'kebun.png', 'image/png'), { text: 'Kebun kopi kami di Toraja' })
    await page.locator('.row.other .thumb[data-state=loading]').waitFor()
    agent.send('Mau pesan berapa kantong?')
    await page.getByText('Mau pesan berapa kantong?').waitFor()
    const before = [await boxOf(page, '.row.other .thumb canvas'), await boxOf(page, '.row.other:last-child .bubble')]
    await page.screenshot({ path: screenshotPath('20-files-picture-loading') })
    await page.locator('.row.other .thumb[data-state=shown]').waitFor({ timeout: 10_000 })
    const after = [await boxOf(page, '.row.other .thumb canvas'), await boxOf(page, '.row.other:last-child .bubble')]
    expect(after).toEqual(before)
    expect(JSON.parse(after[0]!)).toMatchObject({ width: 165, height: 220 })
    await page.unroute('**/api/files/**')

    // Reactions both ways.
    const visitorFirst = agent.messages.get()[0]!
    agent.react(visitorFirst.id!, '❤️')
    await page.getByRole('button', { name: '❤️ 1' }).waitFor()
    const reply = page.locator('.row.other').filter({ hasText: 'Mau pesan berapa kantong?' })
    await reply.getByRole('button', { name: 'Add a reaction' }).click()
    await reply.getByRole('group', { name: 'Add a reaction' }).waitFor()
    await page.screenshot({ path: screenshotPath('21-files-reaction-picker') })
    await reply.getByRole('button', { name: '👍' }).click()
    await reply.getByRole('button', { name: '👍 1, including you' }).waitFor()
    await expect.poll(() => agent.messages.get().at(-1)?.reactions).toEqual([{ emoji: '👍', by: [expect.any(String)] }])
    await page.screenshot({ path: screenshotPath('21-files-and-reactions') })
    // The visitor's own picture and PDF, with the agent's ❤️, further up.
    await page.locator('[data-obrolan-widget] .log').evaluate((log) => (log.scrollTop = 0))
    await page.screenshot({ path: screenshotPath('21-files-sent-with-reaction') })

    // Full size on click, and back.
    await page.getByRole('button', { name: 'Open image: kebun.png' }).click()
    const viewer = page.getByRole('dialog', { name: 'kebun.png' })
    await viewer.waitFor()
    await expect.poll(() => viewer.locator('canvas').evaluate((el: HTMLCanvasElement) => el.width)).toBeGreaterThan(220)
    await page.screenshot({ path: screenshotPath('22-files-full-size') })
    await page.keyboard.press('Escape')
    await expect.poll(() => viewer.count()).toBe(0)
    expect(await page.getByRole('dialog').first().isVisible()).toBe(true)

    expect(problems.cspViolations).toEqual([])
    expect(problems.pageErrors).toEqual([])
    expect(problems.consoleErrors).toEqual([])
  })

  // The widget's own backoff (0.5 s doubling to 30 s) decides when the reloaded page finds the
  // server again, so this can take longer than the default test time on a busy machine.
  it('takes dropped and pasted files, shows progress with Cancel, and keeps a file chosen while the server is down across a reload', { timeout: 60_000 }, async () => {
    const store = createMemoryStore()
    const files = createMemoryFileStore()
    let server = await startChat(store, files)
    const port = server.port
    const context = await newContext()
    const { page, problems } = await openShop(context, server)
    await expect.poll(() => dot(page).getAttribute('data-status')).toBe('connected')

    // A drop, then a paste, as a browser delivers them.
    const drop = (name: string, text: string) =>
      page.locator('[data-obrolan-widget] .panel').evaluate(
        (panel, [fileName, content]) => {
          const data = new DataTransfer()
          data.items.add(new File([content!], fileName!, { type: 'text/plain' }))
          panel.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: data }))
          panel.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data }))
        },
        [name, text],
      )
    await drop('catatan.txt', 'Tolong kirim ke Makassar')
    await page.locator('[data-obrolan-widget] textarea').evaluate((field) => {
      const data = new DataTransfer()
      data.items.add(new File(['a,b\n1,2\n'], 'pesanan.csv', { type: 'text/csv' }))
      field.dispatchEvent(new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: data }))
    })
    await page.getByRole('button', { name: /Download: pesanan\.csv, CSV/ }).waitFor()
    await expect.poll(() => page.locator('.row.own[data-status=sent], .row.own[data-status=delivered], .row.own[data-status=read]').count(), { timeout: 10_000 }).toBe(2)

    // An upload held up: its progress and Cancel show; cancelled, nothing of it is stored.
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    await page.route('**/api/files/**', async (route) => {
      await held
      await route.continue().catch(() => {})
    })
    await fileInput(page).setInputFiles([{ name: 'besar.png', mimeType: 'image/png', buffer: png(640, 480, [90, 90, 200], 120) }])
    await page.getByRole('progressbar', { name: 'Uploading besar.png' }).waitFor()
    await page.screenshot({ path: screenshotPath('23-files-uploading') })
    await page.locator('.row.own').filter({ has: page.getByRole('progressbar') }).getByRole('button', { name: 'Cancel' }).click()
    await expect.poll(() => page.getByRole('progressbar').count()).toBe(0)
    release()
    await page.unroute('**/api/files/**')

    // The server goes away; a file chosen now waits, survives a reload (IndexedDB), and goes when it is back.
    await server.close()
    await expect.poll(() => dot(page).getAttribute('data-tone'), { timeout: 15_000 }).toBe('red')
    await fileInput(page).setInputFiles([{ name: 'bukti-transfer.png', mimeType: 'image/png', buffer: png(400, 300, [20, 160, 120], 50) }])
    await page.getByText('Waiting for the connection').waitFor()
    await page.screenshot({ path: screenshotPath('24-files-waiting-offline') })
    await page.reload()
    await page.getByRole('dialog').waitFor()
    await page.getByText('Waiting for the connection').waitFor({ timeout: 10_000 })
    server = await startChat(store, files, port)
    const agent = startAgent(server.url)
    await agent.openConversation(await roomOfOnlyVisitor(agent))
    await expect.poll(() => agent.messages.get().map((m) => m.attachment?.name), { timeout: 20_000 }).toEqual(['catatan.txt', 'pesanan.csv', 'bukti-transfer.png'])
    await expect.poll(() => page.getByText('Waiting for the connection').count()).toBe(0)

    expect(problems.cspViolations).toEqual([])
    expect(problems.pageErrors).toEqual([])
  })
})
