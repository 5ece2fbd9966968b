/**
 * `obrolan start` as a site owner runs it: the built command in a folder of its own, configured
 * by environment variables only. An owner is created through the setup link it prints, a visitor
 * and the signed-in agent chat through it, and after a stop (SIGTERM) and a start everything is
 * still there: the conversation, the visitor's identity and the agent's session. `npm test`
 * builds dist/ first; test/package runs the same command from the packed tarball.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { createChatClient, memoryStorage, type ChatClient } from '../../src'
import { manualEnvironment } from '../../src/core/util/environment'
import { eventually, texts } from '../support/harness'

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))
const folder = mkdtempSync(join(tmpdir(), 'obrolan-cli-'))
const running: ChildProcess[] = []
const clients: ChatClient[] = []
afterAll(() => {
  for (const client of clients) client.destroy()
  for (const child of running) child.kill('SIGKILL')
  rmSync(folder, { recursive: true, force: true })
})

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** Starts the command and resolves once it has printed its banner. */
function startCommand(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [CLI, 'start'], { cwd: folder, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  running.push(child)
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => void (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 15 s:\n${output}`)), 15_000)
    const check = (): void => {
      if (!output.includes('/widget/obrolan.iife.js" async></script>')) return
      clearTimeout(timer)
      resolve({ child, output: () => output })
    }
    child.stdout!.on('data', check)
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)))
  })
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code))
    child.kill('SIGTERM')
  })
}

describe('obrolan start', () => {
  it('runs the product from environment variables, and a restart keeps everything', { timeout: 60_000 }, async () => {
    if (!existsSync(CLI) || statSync(CLI).mtimeMs < statSync(fileURLToPath(new URL('../../src/cli/start.ts', import.meta.url))).mtimeMs) {
      throw new Error('dist/cli.js is missing or older than src/cli: run npm run build first')
    }
    const port = await freePort()
    const url = `http://localhost:${port}`
    const env = { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' }
    const first = await startCommand(env)
    const banner = first.output()
    expect(banner).toContain(`Obrolan is running on http://127.0.0.1:${port}`)
    expect(banner).toContain(`<script src="${url}/widget/obrolan.iife.js" async></script>`)
    const setupUrl = /(http:\/\/localhost:\d+\/inbox\/setup#token=[\w-]+)/.exec(banner)?.[1]
    expect(setupUrl).toBeDefined()
    expect(existsSync(join(folder, 'obrolan-data', 'obrolan.db'))).toBe(true)
    expect(statSync(join(folder, 'obrolan-data', 'secret')).mode & 0o777).toBe(0o600)
    expect((await fetch(`${url}/widget/obrolan.iife.js`)).status).toBe(200)

    // The owner opens the setup link in the inbox, which creates the account.
    const setup = await fetch(`${url}/api/auth/setup`, {
      method: 'POST',
      headers: { origin: url, 'content-type': 'application/json' },
      body: JSON.stringify({ token: new URL(setupUrl!).hash.slice('#token='.length), name: 'Dewi', email: 'dewi@toko.example', password: 'a very good password' }),
    })
    expect(setup.status).toBe(200)
    const cookie = (setup.headers.get('set-cookie') ?? '').split(';')[0]!
    const socketToken = async () => {
      const reply = await fetch(`${url}/api/auth/socket-token`, { headers: { origin: url, cookie } })
      return ((await reply.json()) as { data: { token: string } }).data.token
    }
    const visitorStorage = memoryStorage()
    const open = (options: Parameters<typeof createChatClient>[0]) => {
      const client = createChatClient({ environment: manualEnvironment(), socket: { transports: ['websocket'] }, backoff: { minMs: 50, maxMs: 500 }, ...options })
      clients.push(client)
      return client
    }
    const visitor = open({ url, storage: visitorStorage, name: 'Budi' })
    const agent = open({ url, role: 'agent', token: socketToken, storage: memoryStorage() })
    visitor.send('Halo, kopinya ada?')
    await eventually(() => expect(agent.conversations.get()).toHaveLength(1), 10_000)
    await agent.openConversation(agent.conversations.get()[0]!.roomId)
    agent.send('Ada, Kak!')
    await eventually(() => expect(texts(visitor)).toEqual(['Halo, kopinya ada?', 'Ada, Kak!']), 10_000)
    expect(visitor.messages.get()[1]!.author).toMatchObject({ role: 'agent', name: 'Dewi' })
    const visitorId = visitor.user.get()!.id

    expect(await stop(first.child)).toBe(0)
    const second = await startCommand(env)
    expect(second.output()).not.toContain('setup#token')
    // The same visitor (its storage, the kept secret) and the same agent session come back.
    await eventually(() => expect(visitor.status.get()).toBe('connected'), 15_000)
    await eventually(() => expect(agent.status.get()).toBe('connected'), 15_000)
    expect(visitor.user.get()!.id).toBe(visitorId)
    visitor.send('Saya pesan dua')
    await eventually(() => expect(texts(agent)).toEqual(['Halo, kopinya ada?', 'Ada, Kak!', 'Saya pesan dua']), 10_000)
    const fresh = open({ url, role: 'agent', token: socketToken, storage: memoryStorage() })
    await eventually(() => expect(fresh.conversations.get().map((c) => c.lastSeq)).toEqual([3]), 10_000)
    expect(await stop(second.child)).toBe(0)
  })

  it('refuses to start with a bad setting, naming the variable', async () => {
    const child = spawn(process.execPath, [CLI, 'start'], { cwd: folder, env: { PATH: process.env.PATH ?? '', PORT: 'eighty' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()))
    const code = await new Promise((resolve) => child.on('exit', resolve))
    expect(code).toBe(1)
    expect(stderr.trim()).toBe('obrolan: PORT (or --port) must be a port number from 1 to 65535; got "eighty"')
  })
})
