import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { useHarness } from './helpers'

const harness = useHarness()
const dir = mkdtempSync(join(tmpdir(), 'obrolan-static-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const loader = `/* loader */ ${'x'.repeat(2000)}`
mkdirSync(join(dir, 'inbox', 'assets'), { recursive: true })
writeFileSync(join(dir, 'obrolan.iife.js'), loader)
writeFileSync(join(dir, 'obrolan.chat.js'), '/* chat */')
writeFileSync(join(dir, 'inbox', 'index.html'), '<!doctype html><title>Inbox</title>')
writeFileSync(join(dir, 'inbox', 'assets', 'app-3f9a.js'), 'console.log(1)')

describe('the files obrolan start serves', () => {
  it('serves the widget files with short caching, ETags and gzip', async () => {
    const server = await harness.start({ files: { inbox: join(dir, 'inbox'), widget: dir } })
    const res = await fetch(`${server.url}/widget/obrolan.iife.js`, { headers: { 'accept-encoding': 'gzip' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(res.headers.get('cache-control')).toMatch(/max-age=300/)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await res.text()).toBe(loader)
    const raw = await new Promise<Buffer>((resolve) => {
      void import('node:http').then(({ get }) =>
        get(`${server.url}/widget/obrolan.iife.js`, { headers: { 'accept-encoding': 'gzip' } }, (r) => {
          const chunks: Buffer[] = []
          r.on('data', (c: Buffer) => chunks.push(c))
          r.on('end', () => resolve(Buffer.concat(chunks)))
        }),
      )
    })
    expect(raw.length).toBeLessThan(loader.length / 4)
    expect(gunzipSync(raw).toString()).toBe(loader)
    const etag = res.headers.get('etag') ?? ''
    expect((await fetch(`${server.url}/widget/obrolan.iife.js`, { headers: { 'if-none-match': etag } })).status).toBe(304)
    expect(await (await fetch(`${server.url}/widget/obrolan.chat.js`)).text()).toBe('/* chat */')
    expect((await fetch(`${server.url}/widget/secret.txt`)).status).toBe(404)
    expect((await fetch(`${server.url}/widget/../package.json`)).status).toBe(404)
  })

  it('serves the inbox as a single-page app under a strict CSP', async () => {
    const server = await harness.start({ files: { inbox: join(dir, 'inbox'), widget: dir } })
    const bare = await fetch(`${server.url}/inbox`, { redirect: 'manual' })
    expect(bare.status).toBe(308)
    expect(bare.headers.get('location')).toBe('/inbox/')
    for (const path of ['/inbox/', '/inbox/setup', '/inbox/conversations/abc']) {
      const res = await fetch(`${server.url}${path}`)
      expect(res.status).toBe(200)
      expect(await res.text()).toContain('<title>Inbox</title>')
      expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'; style-src 'self'/)
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      expect(res.headers.get('cache-control')).toBe('no-cache')
    }
    const asset = await fetch(`${server.url}/inbox/assets/app-3f9a.js`)
    expect(asset.headers.get('cache-control')).toContain('immutable')
    expect(await asset.text()).toBe('console.log(1)')
  })

  it('answers / with a page of links and /favicon.ico without a 404', async () => {
    const server = await harness.start({ files: { inbox: join(dir, 'inbox'), widget: dir } })
    const page = await fetch(`${server.url}/`)
    expect(page.headers.get('content-type')).toMatch(/text\/html/)
    const html = await page.text()
    expect(html).toContain('href="/inbox/"')
    expect(html).toContain('href="/health"')
    expect((await fetch(`${server.url}/favicon.ico`)).status).toBe(200)
    // Without files, the server serves none of this.
    const bare = await harness.start()
    expect((await fetch(`${bare.url}/`)).status).toBe(404)
    expect((await fetch(`${bare.url}/inbox/`)).status).toBe(404)
  })
})
