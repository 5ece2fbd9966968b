/**
 * Integrations in real Chromium against the real server (SQLite, accounts, WhatsApp on a fake
 * Cloud API): the owner opens Settings → Integrations, makes an API key and adds a webhook, a
 * WhatsApp customer writes in and a reply outside the 24-hour window is shown refused with the
 * API's reason. Screenshots: test-output/screenshots/integrations-*.png.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { customerMessage, metaWebhook, startFakeCloudApi, type FakeCloudApi } from '../support/fake-cloud-api'
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver'
import { launchChromium, openRecordingPage, screenshotPath } from './support/chromium'
import { axeViolations, PASSWORD, startInboxSite, type InboxSite } from './support/inbox-site'

let browser: Browser
let site: InboxSite
let cloud: FakeCloudApi
let receiver: WebhookReceiver
let page: Page
const SECRET = 'meta-app-secret-for-the-browser'

beforeAll(async () => {
  browser = await launchChromium()
  cloud = await startFakeCloudApi()
  receiver = await startWebhookReceiver()
  site = await startInboxSite({
    whatsapp: { phoneNumberId: '106540352242922', accessToken: 'EAAG-browser', appSecret: SECRET, verifyToken: 'verify-browser', apiUrl: cloud.apiUrl },
    deliveries: { pollMs: 50, firstRetryMs: 100 },
  })
})
afterAll(async () => {
  await site?.close()
  await browser?.close()
  await cloud?.close()
  await receiver?.close()
})

const shot = (name: string) => page.screenshot({ path: screenshotPath(`integrations-${name}`), fullPage: true })

describe('integrations in the inbox', () => {
  it('owners make an API key and add a webhook in Settings → Integrations', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' })
    page = (await openRecordingPage(context)).page
    page.setDefaultTimeout(8000)
    await page.goto(site.server.setupUrl!)
    await page.getByLabel('Name').fill('Sari')
    await page.getByLabel('Email').fill('sari@example.com')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByText('No conversations yet').waitFor()

    await page.getByRole('button', { name: 'Settings' }).click()
    await page.getByRole('button', { name: 'Integrations' }).click()
    await page.getByRole('heading', { name: 'API keys' }).waitFor()
    await page.getByLabel('What it is for').fill('CRM sync')
    await page.getByRole('checkbox', { name: 'write' }).check()
    await page.getByRole('button', { name: 'Make key' }).click()
    const key = await page.getByLabel(/Copy this key now/).inputValue()
    expect(key).toMatch(/^obk_/)
    const answer = await fetch(`${site.url}/api/v1/conversations`, { headers: { authorization: `Bearer ${key}` } })
    expect(answer.status).toBe(200)

    await page.getByLabel('URL').fill(receiver.url)
    await page.getByRole('button', { name: 'Add webhook' }).click()
    expect(await page.getByLabel(/Copy the signing secret now/).inputValue()).toMatch(/^whsec_/)
    await page.getByText(receiver.url).first().waitFor()
    expect(await axeViolations(page)).toEqual([])
    await shot('settings')
  })

  it('a WhatsApp customer writes in, a reply is refused with the API’s reason, and the delivery log shows the events', async () => {
    await metaWebhook(site.url, SECRET, customerMessage('106540352242922', '628123456789', 'Test Customer', 'wamid.browser1', 'Halo, pesanan saya belum sampai'))
    await page.getByRole('button', { name: 'Back to the inbox' }).click()
    await page.getByRole('option', { name: /Test Customer/ }).click()
    await page.getByText('WhatsApp +628123456789').waitFor()
    cloud.mode = 'refuse'
    await page.getByLabel('Reply').fill('Maaf, kami cek dulu')
    await page.keyboard.press('Enter')
    await page.getByText(/Not delivered on WhatsApp: \(#131047\) Re-engagement message/).waitFor()
    expect(await axeViolations(page)).toEqual([])
    await shot('whatsapp')

    await page.getByRole('button', { name: 'Settings' }).click()
    await page.getByRole('button', { name: 'Integrations' }).click()
    await page.getByRole('button', { name: 'Deliveries' }).click()
    const log = page.getByRole('table', { name: /Latest deliveries/ })
    await log.getByText('message.created').first().waitFor()
    expect(await log.getByText('delivered').count()).toBeGreaterThanOrEqual(2)
    await shot('delivery-log')
  })
})
