/**
 * The inbox as a site owner runs it: the real server with agent accounts, serving the built
 * dist/inbox at /inbox, and helpers for what a person does in it. A server can be stopped and
 * started again on the same port with the same conversations and accounts (a restart).
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { createChatClient, manualEnvironment, memoryStorage, type ChatClient } from '../../../src'
import { createChatServer, createMemoryAccountStore, createMemoryStore, type AccountStore, type ChatServer, type Store } from '../../../src/server'

export const PASSWORD = 'correct horse battery'
const INBOX_DIR = fileURLToPath(new URL('../../../dist/inbox', import.meta.url))
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

export interface InboxSite {
  server: ChatServer
  url: string
  store: Store
  /** Stops the server (every socket cut) and starts it again on the same port and data. */
  restart(during?: () => Promise<void>): Promise<void>
  close(): Promise<void>
}

export async function startInboxSite(): Promise<InboxSite> {
  const store = createMemoryStore()
  const accounts: AccountStore = createMemoryAccountStore()
  const start = (port: number) =>
    createChatServer({ host: '127.0.0.1', port, store, accounts, secret: 'inbox-test-secret', files: { inbox: INBOX_DIR } })
  const site = { server: await start(0), store } as unknown as InboxSite
  site.url = site.server.url
  site.restart = async (during) => {
    const port = site.server.port
    await site.server.close()
    await during?.()
    site.server = await start(port)
  }
  site.close = () => site.server.close()
  return site
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
