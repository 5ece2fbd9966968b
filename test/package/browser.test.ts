/**
 * The installed tarball in real Chromium, served by the app consumer's serve.mjs (static files
 * under a strict Content-Security-Policy, and the chat server from `obrolan/server` on the same
 * port): the UMD file with its `ObrolanSDK` global, the script tag (the loader, then the chat file
 * it fetches from next to itself), and the Vite-built app with <obrolan-chat>. On each page a
 * visitor opens the chat and sends a message, which must reach the server's store, with no page
 * error, console error or CSP violation. Screenshots: test-output/screenshots/package-*.png.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchChromium, openRecordingPage, screenshotPath } from '../browser/support/chromium'

const suite = inject('packageSuite')

let browser: Browser
let site: ChildProcess
let origin: string

beforeAll(async () => {
  site = spawn(process.execPath, ['serve.mjs'], { cwd: suite.app, stdio: ['ignore', 'pipe', 'inherit'] })
  const [line] = (await once(site.stdout!, 'data')) as [Buffer]
  origin = (JSON.parse(line.toString().split('\n')[0]!) as { url: string }).url
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  site?.kill()
})

async function storedTexts(): Promise<string[]> {
  return (await (await fetch(`${origin}/test/messages`)).json()) as string[]
}

async function sendFromPage(page: Page, text: string): Promise<void> {
  // The widget's launcher (the script tag's loader draws its own first and hands over on click).
  await page.getByRole('button', { name: 'Open chat' }).first().click()
  const composer = page.getByRole('dialog').locator('textarea')
  await composer.fill(text)
  await composer.press('Enter')
  await expect.poll(storedTexts, { timeout: 10_000 }).toContain(text)
  await expect.poll(() => page.getByRole('dialog').getByText(text).count()).toBe(1)
}

/**
 * A fresh page for `use` to open and send from; then a screenshot of it
 * (test-output/screenshots/package-<name>.png) and a check that nothing went wrong on it.
 */
async function onPage(name: string, use: (page: Page) => Promise<void>): Promise<void> {
  const context = await browser.newContext()
  try {
    const { page, problems } = await openRecordingPage(context)
    await use(page)
    await page.screenshot({ path: screenshotPath(`package-${name}`), animations: 'disabled' })
    expect(problems.pageErrors).toEqual([])
    expect(problems.consoleErrors).toEqual([])
    expect(problems.cspViolations).toEqual([])
  } finally {
    await context.close()
  }
}

describe('Chromium', () => {
  it('the UMD file: ObrolanSDK.mountWidget on a page without a bundler', async () => {
    await onPage('umd', async (page) => {
      await page.goto(`${origin}/pages/umd.html`)
      expect(await page.evaluate(() => Object.keys((window as unknown as { ObrolanSDK: object }).ObrolanSDK).sort())).toEqual(
        expect.arrayContaining(['ChatError', 'createChatClient', 'memoryStorage', 'mountWidget']),
      )
      await sendFromPage(page, 'Halo from the UMD file')
    })
  })

  it('the script tag: the loader boots from data-* and fetches the chat from next to itself', async () => {
    await onPage('script-tag', async (page) => {
      const requested: string[] = []
      page.on('request', (request) => requested.push(new URL(request.url()).pathname))
      await page.goto(`${origin}/pages/script-tag.html`)
      await sendFromPage(page, 'Halo from the script tag')
      expect(requested).toContain('/node_modules/obrolan/dist/obrolan.chat.js')
    })
  })

  it('the Vite-built app: <obrolan-chat> from obrolan/element', async () => {
    await onPage('vite-element', async (page) => {
      await page.goto(`${origin}/build/index.html`)
      expect(await page.locator('obrolan-chat').evaluate((element) => element.constructor.name)).not.toBe('HTMLElement')
      await sendFromPage(page, 'Halo from the Vite app')
    })
  })
})
