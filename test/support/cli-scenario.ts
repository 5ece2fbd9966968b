/**
 * `obrolan start` as a site owner runs it, for the CLI suite (the built dist/cli.js) and the package
 * suite (the command installed from the packed tarball): configured by environment variables only,
 * an owner is created through the setup link it prints, a visitor and the signed-in agent chat
 * through it, and after a stop (SIGTERM) and a start everything is still there: the conversation,
 * the visitor's identity and the agent's session.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { expect } from 'vitest'
import { createChatClient, memoryStorage, type ChatClient } from '../../src'
import { manualEnvironment } from '../../src/core/util/environment'
import { eventually, texts } from './harness'

export interface CommandUnderTest {
  /** The program and its first arguments, e.g. [node, dist/cli.js] or [npx, obrolan]. */
  argv: string[]
  /** The folder it runs in (its data folder is made there). */
  cwd: string
  /**
   * True when the program is a launcher (npx) with obrolan as its child. It then runs in a process
   * group of its own, which gets the signal, as a terminal's Ctrl-C or systemd's stop does; the
   * launcher's exit code says nothing, obrolan's "closing" line and the clean restart do.
   */
  launcher?: boolean
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** Starts `obrolan start` and resolves once it has printed its banner. */
export function startCommand(command: CommandUnderTest, env: Record<string, string>, running: ChildProcess[]): Promise<{ child: ChildProcess; output: () => string }> {
  const [program, ...args] = command.argv
  const child = spawn(program!, [...args, 'start'], {
    cwd: command.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: command.launcher === true,
  })
  running.push(child)
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => void (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 20 s:\n${output}`)), 20_000)
    const check = (): void => {
      if (!output.includes('/widget/obrolan.iife.js" async></script>')) return
      clearTimeout(timer)
      resolve({ child, output: () => output })
    }
    child.stdout!.on('data', check)
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)))
  })
}

/** Resolves once no process of the group is left (obrolan may end after its launcher). */
async function waitForGroupToEnd(group: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(-group, 0)
    } catch {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`process group ${group} still running 10 s after SIGTERM`)
}

/** Sends SIGTERM and checks that obrolan closed and ended by itself. */
export async function stop(command: CommandUnderTest, started: { child: ChildProcess; output: () => string }): Promise<void> {
  const { child } = started
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal]))
    if (command.launcher) process.kill(-child.pid!, 'SIGTERM')
    else child.kill('SIGTERM')
  })
  if (command.launcher) await waitForGroupToEnd(child.pid!)
  expect(started.output()).toContain('SIGTERM: closing connections and the database')
  if (command.launcher) expect(code === 0 || signal === 'SIGTERM').toBe(true)
  else expect(code).toBe(0)
}

/** The whole scenario; `cleanup` holds what to close after the test whatever happens. */
export async function runStartScenario(command: CommandUnderTest, cleanup: (() => void)[]): Promise<void> {
  const running: ChildProcess[] = []
  const clients: ChatClient[] = []
  cleanup.push(() => {
    for (const client of clients) client.destroy()
    for (const child of running) child.kill('SIGKILL')
  })
  const port = await freePort()
  const url = `http://localhost:${port}`
  const env = { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' }
  const first = await startCommand(command, env, running)
  const banner = first.output()
  expect(banner).toContain(`Obrolan is running on http://127.0.0.1:${port}`)
  expect(banner).toContain(`<script src="${url}/widget/obrolan.iife.js" async></script>`)
  const setupUrl = /(http:\/\/localhost:\d+\/inbox\/setup#token=[\w-]+)/.exec(banner)?.[1]
  expect(setupUrl).toBeDefined()
  expect(existsSync(join(command.cwd, 'obrolan-data', 'obrolan.db'))).toBe(true)
  expect(statSync(join(command.cwd, 'obrolan-data', 'secret')).mode & 0o777).toBe(0o600)
  expect((await fetch(`${url}/widget/obrolan.iife.js`)).status).toBe(200)
  expect((await fetch(`${url}/inbox/`)).status).toBe(200)

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
  const open = (options: Parameters<typeof createChatClient>[0]) => {
    const client = createChatClient({ environment: manualEnvironment(), socket: { transports: ['websocket'] }, backoff: { minMs: 50, maxMs: 500 }, ...options })
    clients.push(client)
    return client
  }
  const visitor = open({ url, storage: memoryStorage(), name: 'Budi' })
  const agent = open({ url, role: 'agent', token: socketToken, storage: memoryStorage() })
  visitor.send('Halo, kopinya ada?')
  await eventually(() => expect(agent.conversations.get()).toHaveLength(1), 10_000)
  await agent.openConversation(agent.conversations.get()[0]!.roomId)
  agent.send('Ada, Kak!')
  await eventually(() => expect(texts(visitor)).toEqual(['Halo, kopinya ada?', 'Ada, Kak!']), 10_000)
  expect(visitor.messages.get()[1]!.author).toMatchObject({ role: 'agent', name: 'Dewi' })
  const visitorId = visitor.user.get()!.id

  await stop(command, first)
  const second = await startCommand(command, env, running)
  expect(second.output()).not.toContain('setup#token')
  // The same visitor (its storage, the kept secret) and the same agent session come back.
  await eventually(() => expect(visitor.status.get()).toBe('connected'), 15_000)
  await eventually(() => expect(agent.status.get()).toBe('connected'), 15_000)
  expect(visitor.user.get()!.id).toBe(visitorId)
  visitor.send('Saya pesan dua')
  await eventually(() => expect(texts(agent)).toEqual(['Halo, kopinya ada?', 'Ada, Kak!', 'Saya pesan dua']), 10_000)
  const fresh = open({ url, role: 'agent', token: socketToken, storage: memoryStorage() })
  await eventually(() => expect(fresh.conversations.get().map((c) => c.lastSeq)).toEqual([3]), 10_000)
  await stop(command, second)
}
