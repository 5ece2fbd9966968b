/**
 * What the widget's Chromium files share: one Chromium and one static site (another origin than
 * the chat server) for the file, and cleanups run after each test.
 */
import type { Browser } from 'playwright-core'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { launchChromium } from './chromium'
import { startStaticServer } from './static-server'

export interface ChromiumAndSite {
  readonly browser: Browser
  readonly site: Awaited<ReturnType<typeof startStaticServer>>
  /** Run in reverse order after each test. */
  readonly cleanups: (() => unknown)[]
}

export function useChromiumAndSite(): ChromiumAndSite {
  let browser: Browser | undefined
  let site: ChromiumAndSite['site'] | undefined
  const cleanups: (() => unknown)[] = []
  beforeAll(async () => {
    browser = await launchChromium()
    site = await startStaticServer()
  })
  afterAll(async () => {
    await site?.close()
    await browser?.close()
  })
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!()
  })
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('Chromium and the site start in beforeAll')
    return value
  }
  return {
    get browser() {
      return started(browser)
    },
    get site() {
      return started(site)
    },
    cleanups,
  }
}
