/**
 * Files and reactions in the agent inbox, in real Chromium against the real server as `obrolan
 * start` runs it (SQLite, agent accounts, files on disk beside the database, the inbox under its
 * strict CSP): a visitor's picture and PDF read with the agent's cookie, the picture full size,
 * the agent's reply with a file, reactions both ways. Screenshots: test-output/screenshots/inbox-files-*.png.
 */
import { existsSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChatClient } from '../../src'
import { asFile, png } from '../support/sample-files'
import { launchChromium, openRecordingPage, screenshotPath, type PageProblems } from './support/chromium'
import { axeViolations, PASSWORD, startInboxSite, startVisitor, until, type InboxSite } from './support/inbox-site'

let browser: Browser
let site: InboxSite
let context: BrowserContext
let visitor: ChatClient

beforeAll(async () => {
  browser = await launchChromium()
  site = await startInboxSite()
})
afterAll(async () => {
  visitor?.destroy()
  await context?.close()
  await site?.close()
  await browser?.close()
})

async function ownerPage(): Promise<{ page: Page; problems: PageProblems }> {
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' })
  const opened = await openRecordingPage(context)
  await opened.page.goto(site.server.setupUrl!)
  await opened.page.getByLabel('Name').fill('Sari')
  await opened.page.getByLabel('Email').fill('sari@example.com')
  await opened.page.getByLabel('Password').fill(PASSWORD)
  await opened.page.getByRole('button', { name: 'Create account' }).click()
  await opened.page.getByText('No conversations yet').waitFor()
  return opened
}

describe('files and reactions in the inbox', () => {
  it('shows a visitor’s picture and PDF, opens the picture full size, sends a file back and reacts, on disk beside the database', async () => {
    const { page, problems } = await ownerPage()
    visitor = startVisitor(site.url, 'Ani')
    const photo = png(1200, 800, [180, 100, 50], 50)
    visitor.sendFile(asFile(photo, 'struk-transfer.png', 'image/png'), { text: 'Ini bukti transfernya' })
    visitor.sendFile(asFile('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'faktur.pdf', 'application/pdf'))
    await page.getByRole('option', { name: /Ani/ }).click()
    const image = page.getByRole('button', { name: 'Open image: struk-transfer.png' }).locator('img')
    await image.waitFor()
    // Read from the server with the session cookie, drawn at the size kept for it.
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => [img.complete, img.naturalWidth, Math.round(img.getBoundingClientRect().width), Math.round(img.getBoundingClientRect().height)])).toEqual([true, 1200, 260, 173])
    const pdf = page.getByRole('link', { name: /Download: faktur\.pdf, PDF/ })
    await pdf.waitFor()
    const saved = page.waitForEvent('download')
    await pdf.click()
    expect((await saved).suggestedFilename()).toBe('faktur.pdf')

    // The agent reacts, and replies with a file of their own.
    const visitorPicture = page.locator('.row.visitor').filter({ has: page.getByRole('button', { name: /Open image/ }) })
    await visitorPicture.getByRole('button', { name: 'Add a reaction' }).click()
    await visitorPicture.getByRole('button', { name: '👍' }).click()
    await until(() => visitor.messages.get()[0]?.reactions?.[0]?.emoji === '👍', 'the visitor sees the agent’s reaction')
    await page.locator('.reply input[type=file]').setInputFiles([{ name: 'rincian-pesanan.png', mimeType: 'image/png', buffer: png(400, 300, [30, 90, 200], 40) }])
    await until(() => visitor.messages.get().some((m) => m.attachment?.name === 'rincian-pesanan.png'), 'the visitor receives the agent’s file')
    const fromAgent = visitor.messages.get().find((m) => m.attachment?.name === 'rincian-pesanan.png')!
    visitor.react(fromAgent.id!, '🙏')
    await page.getByRole('button', { name: '🙏 1' }).waitFor()
    // Reactions leave the files in place: both pictures drawn at their kept sizes, on both sides.
    const ownPicture = page.getByRole('button', { name: 'Open image: rincian-pesanan.png' }).locator('img')
    await expect.poll(() => ownPicture.evaluate((img: HTMLImageElement) => [img.complete, img.naturalWidth, Math.round(img.getBoundingClientRect().width), Math.round(img.getBoundingClientRect().height)])).toEqual([true, 400, 260, 195])
    expect(await image.evaluate((img: HTMLImageElement) => [img.complete, Math.round(img.getBoundingClientRect().width)])).toEqual([true, 260])
    expect(visitor.messages.get().map((m) => m.attachment?.name)).toEqual(['struk-transfer.png', 'faktur.pdf', 'rincian-pesanan.png'])
    await page.screenshot({ path: screenshotPath('inbox-files-conversation') })
    expect(await axeViolations(page), 'axe with files and reactions').toEqual([])

    await page.getByRole('button', { name: 'Open image: struk-transfer.png' }).click()
    const viewer = page.getByRole('dialog', { name: 'struk-transfer.png' })
    await viewer.waitFor()
    await page.screenshot({ path: screenshotPath('inbox-files-full-size') })
    await page.keyboard.press('Escape')
    await expect.poll(() => viewer.count()).toBe(0)

    // The files are on disk, in the uploads folder beside the database.
    const database = (site.server.store as unknown as { engine: { location: string } }).engine.location
    const uploads = join(dirname(database), 'uploads')
    expect(existsSync(uploads)).toBe(true)
    expect(readdirSync(uploads).flatMap((room) => readdirSync(join(uploads, room)))).toHaveLength(3)
    expect(problems.cspViolations).toEqual([])
    expect(problems.pageErrors).toEqual([])
    expect(problems.consoleErrors).toEqual([])
  })
})
