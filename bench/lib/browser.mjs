// Chromium for the benchmarks: Debian's /usr/bin/chromium (or CHROMIUM_PATH) through
// playwright-core, headless, kept off the network, and a tiny static site serving a blank page
// with dist/obrolan.umd.cjs (the global ObrolanSDK).
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:http'
import { chromium } from 'playwright-core'
import { DIST } from './common.mjs'

const require = createRequire(import.meta.url)

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export async function launchChromium() {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: apt-get install chromium, or set CHROMIUM_PATH`)
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // The flags the browser tests use: root needs --no-sandbox, the rest keeps it off the network.
    args: require('../../test/support/chromium-flags.json'),
  })
}

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>obrolan bench</title></head>
<body><main><h1>Shop</h1><p>A page with a chat widget.</p></main>
<script src="/obrolan.umd.cjs"></script>
</body>
</html>`

/** Serves `/` (the page) and `/obrolan.umd.cjs` from dist/ on 127.0.0.1. */
export async function startSite() {
  const umd = readFileSync(DIST + 'obrolan.umd.cjs')
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(PAGE)
    else if (path === '/obrolan.umd.cjs') res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(umd)
    else if (path === '/favicon.ico') res.writeHead(204).end()
    else res.writeHead(404).end()
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A fresh page on the site, with a CDP session for heap figures; `initScript` runs before the page's. */
export async function openPage(browser, site, { initScript } = {}) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } })
  const page = await context.newPage()
  if (initScript) await page.addInitScript(initScript)
  const errors = []
  page.on('pageerror', (error) => errors.push(String(error)))
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()))
  await page.goto(site.url)
  await page.waitForFunction(() => typeof window.ObrolanSDK === 'object')
  const cdp = await context.newCDPSession(page)
  await cdp.send('Performance.enable')
  return {
    page,
    errors,
    /** V8 heap in use after two full collections. */
    async heap() {
      await cdp.send('HeapProfiler.collectGarbage')
      await cdp.send('HeapProfiler.collectGarbage')
      return (await cdp.send('Runtime.getHeapUsage')).usedSize
    },
    /** DOM nodes alive in the page (after the same collections). */
    async nodes() {
      const { metrics } = await cdp.send('Performance.getMetrics')
      return metrics.find((m) => m.name === 'Nodes')?.value
    },
    close: () => context.close(),
  }
}
