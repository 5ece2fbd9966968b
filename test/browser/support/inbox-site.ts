/**
 * The inbox as a site owner runs it (`obrolan start`): the real server on a SQLite database with
 * agent accounts kept in it, serving the built dist/inbox at /inbox, and helpers for what a person
 * does in it. A restart stops the server and starts a new one on the same port and database file.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { createChatClient, memoryStorage, type ChatClient } from '../../../src'
import { manualEnvironment } from '../../../src/core/util/environment'
import { createChatServer, type ChatServer, type ChatServerOptions, type Store } from '../../../src/server'

export const PASSWORD = 'correct horse battery'
const INBOX_DIR = fileURLToPath(new URL('../../../dist/inbox', import.meta.url))
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

export interface InboxSite {
  server: ChatServer
  url: string
  /** The running server's store (for writing history straight into it). */
  readonly store: Store
  /** Stops the server (every socket cut) and starts it again on the same port and data. */
  restart(during?: () => Promise<void>): Promise<void>
  close(): Promise<void>
}

/** `extra`: more server options (WhatsApp on a fake Cloud API, delivery timings). */
export async function startInboxSite(extra: Partial<ChatServerOptions> = {}): Promise<InboxSite> {
  const folder = mkdtempSync(join(tmpdir(), 'obrolan-inbox-'))
  const start = (port: number) =>
    createChatServer({
      host: '127.0.0.1',
      port,
      database: `sqlite:${join(folder, 'obrolan.db')}`,
      accounts: true,
      secret: 'inbox-test-secret-of-at-least-32-chars',
      files: { inbox: INBOX_DIR },
      ...extra,
    })
  let server = await start(0)
  return {
    get server() {
      return server
    },
    url: server.url,
    get store() {
      return server.store
    },
    async restart(during) {
      const port = server.port
      await server.close()
      await during?.()
      server = await start(port)
    },
    async close() {
      await server.close()
      rmSync(folder, { recursive: true, force: true })
    },
  }
}

/** A visitor on a site, as the widget's client is: its own storage, a name from the page. */
export function startVisitor(url: string, name: string): ChatClient {
  return createChatClient({ url, name, storage: memoryStorage(), environment: manualEnvironment(), backoff: { minMs: 50, maxMs: 300 } })
}

export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

export async function signIn(page: Page, url: string, email: string): Promise<void> {
  await page.goto(`${url}/inbox/`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { name: 'Conversations' }).waitFor()
}

export interface AxeViolation {
  id: string
  help: string
  nodes: { target: unknown }[]
}

/**
 * axe-core on the whole page. The inbox's policy forbids inline scripts, so axe is added through
 * the DevTools protocol's isolated evaluation (Playwright's evaluate), never a script tag.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource)
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe
    const result = await axe.run(document, { resultTypes: ['violations'] })
    return result.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }))
  })
}
