/**
 * The README's "Behind nginx or Caddy, with TLS" section, tried as written: its nginx server block
 * (with a certificate made for the test, a free port and the port obrolan listens on filled in) in
 * front of `obrolan start` with PUBLIC_URL and TRUST_PROXY. The banner's snippet points at the
 * https address, session cookies are Secure, WebSockets pass through the proxy (the clients allow
 * no other transport), and a visitor and a signed-in agent chat through it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChatClient, memoryStorage, type ChatClient } from '../../src'
import { manualEnvironment } from '../../src/core/util/environment'
import { freePort, startCommand, stop } from '../support/cli-scenario'
import { eventually, texts } from '../support/harness'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const CLI = join(ROOT, 'bin/obrolan.js')
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path))
const folder = mkdtempSync(join(tmpdir(), 'obrolan-nginx-'))
const running: ChildProcess[] = []
const clients: ChatClient[] = []
let allowUnauthorized: string | undefined

beforeAll(() => {
  // The test's certificate is its own: Node's fetch takes no CA per request, so it skips the check.
  allowUnauthorized = process.env.NODE_TLS_REJECT_UNAUTHORIZED
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'
})
afterAll(() => {
  for (const client of clients) client.destroy()
  for (const child of running) child.kill('SIGKILL')
  if (allowUnauthorized === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED
  else process.env.NODE_TLS_REJECT_UNAUTHORIZED = allowUnauthorized
  rmSync(folder, { recursive: true, force: true })
})

/** The README's nginx block, for this machine: a free port on 127.0.0.1, the test's certificate, obrolan's port. */
function nginxConfig(readme: string, listen: number, upstream: number): string {
  const block = /```nginx\n([\s\S]*?)```/.exec(readme)?.[1]
  if (!block) throw new Error('README.md has no nginx block')
  const server = block
    .replace('listen 443 ssl;', `listen 127.0.0.1:${listen} ssl;`)
    .replace('server_name chat.toko.example;', 'server_name localhost;')
    .replace(/# ssl_certificate[^\n]*/, `ssl_certificate ${folder}/cert.pem; ssl_certificate_key ${folder}/key.pem;`)
    .replace('proxy_pass http://127.0.0.1:3000;', `proxy_pass http://127.0.0.1:${upstream};`)
  for (const changed of [`${listen} ssl`, 'server_name localhost', `${folder}/cert.pem`, `127.0.0.1:${upstream}`]) {
    if (!server.includes(changed)) throw new Error(`the README's nginx block changed shape: could not set ${changed}`)
  }
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name) => `${name}_temp_path ${folder}/${name};`).join(' ')
  return `daemon off; worker_processes 1; pid ${folder}/nginx.pid; error_log ${folder}/error.log;
${process.getuid?.() === 0 ? 'user root;' : ''}
events {}
http { access_log off; ${temp}
${server}
}
`
}

describe('behind nginx with TLS, as the README says', () => {
  it('serves the product on the https address: snippet, Secure cookies, WebSockets, a chat', { timeout: 60_000 }, async () => {
    if (!NGINX) throw new Error('nginx is not installed: apt-get install nginx (as .ci/run does)')
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', `${folder}/key.pem`, '-out', `${folder}/cert.pem`], { stdio: 'ignore' })
    const [upstream, listen] = [await freePort(), await freePort()]
    const url = `https://localhost:${listen}`
    writeFileSync(`${folder}/nginx.conf`, nginxConfig(readFileSync(join(ROOT, 'README.md'), 'utf8'), listen, upstream))
    const nginx = spawn(NGINX, ['-c', `${folder}/nginx.conf`, '-p', folder], { stdio: 'ignore' })
    running.push(nginx)

    const command = { argv: [process.execPath, CLI], cwd: folder }
    const obrolan = await startCommand(command, { PORT: String(upstream), HOST: '127.0.0.1', PUBLIC_URL: url, TRUST_PROXY: 'true', LOG_LEVEL: 'warn' }, running)
    expect(obrolan.output()).toContain(`(public address ${url})`)
    expect(obrolan.output()).toContain(`<script src="${url}/widget/obrolan.iife.js" async></script>`)
    const setupUrl = /(https:\/\/localhost:\d+\/inbox\/setup#token=[\w-]+)/.exec(obrolan.output())?.[1]
    expect(setupUrl).toBeDefined()

    await eventually(async () => expect((await fetch(`${url}/health`)).status).toBe(200), 10_000)
    const widget = await fetch(`${url}/widget/obrolan.iife.js`)
    expect(widget.status).toBe(200)
    expect(widget.headers.get('content-type')).toMatch(/javascript/)

    // The owner's session cookie, set over https behind the proxy, is Secure and HttpOnly.
    const setup = await fetch(`${url}/api/auth/setup`, {
      method: 'POST',
      headers: { origin: url, 'content-type': 'application/json' },
      body: JSON.stringify({ token: new URL(setupUrl!).hash.slice('#token='.length), name: 'Dewi', email: 'dewi@toko.example', password: 'a very good password' }),
    })
    expect(setup.status).toBe(200)
    const setCookie = setup.headers.get('set-cookie') ?? ''
    expect(setCookie).toMatch(/; Secure/i)
    expect(setCookie).toMatch(/; HttpOnly/i)
    const cookie = setCookie.split(';')[0]!
    const socketToken = async (): Promise<string> => {
      const reply = await fetch(`${url}/api/auth/socket-token`, { headers: { origin: url, cookie } })
      return ((await reply.json()) as { data: { token: string } }).data.token
    }

    // WebSocket only: the chat works through the proxy only if the upgrade passes. The socket
    // trusts the test's certificate and nothing else.
    const ca = readFileSync(`${folder}/cert.pem`, 'utf8')
    const open = (options: Parameters<typeof createChatClient>[0]): ChatClient => {
      const client = createChatClient({ environment: manualEnvironment(), socket: { transports: ['websocket'], ca }, backoff: { minMs: 50, maxMs: 500 }, ...options })
      clients.push(client)
      return client
    }
    const visitor = open({ url, storage: memoryStorage(), name: 'Budi' })
    const agent = open({ url, role: 'agent', token: socketToken, storage: memoryStorage() })
    visitor.send('Halo dari balik nginx')
    await eventually(() => expect(agent.conversations.get()).toHaveLength(1), 10_000)
    await agent.openConversation(agent.conversations.get()[0]!.roomId)
    agent.send('Terdengar jelas!')
    await eventually(() => expect(texts(visitor)).toEqual(['Halo dari balik nginx', 'Terdengar jelas!']), 10_000)
    expect(visitor.status.get()).toBe('connected')

    for (const client of clients.splice(0)) client.destroy()
    await stop(command, obrolan)
  })
})
