#!/usr/bin/env node
// The agent inbox in Chromium. Our server (in this process, agent accounts on, dist/inbox served
// at /inbox) holds --conversations conversations, the newest of which has --messages messages,
// written straight into its store. An owner account is made through the setup link, and its
// session cookie handed to the browser. Then:
//   list      — load /inbox/ → the conversation list painted (two requestAnimationFrames after
//               the first row); the list holds the server's first page (200, figure printed),
//               rows in the DOM, JS heap;
//   all pages — from there, the list scrolled to its end again and again, each time loading the
//               next page, until the 10,000th conversation's row is painted (pages and time);
//   list-10k  — the same list view with --conversations conversations in the client's list
//               (the inbox's own code, bundled from src/ with esbuild, on a client stand-in whose
//               `conversations` store holds them all at once, as a list paged to its end does):
//               mount → rows painted, then a scroll to the end → the last row painted;
//   open      — click the long conversation's row → its newest message painted (the client
//               joins and gets the newest page, 50), bubbles in the DOM;
//   older     — "Show earlier messages" → the next page painted, the reader's bubble kept still.
// Medians of --cycles. Prints one line.
//
//   node bench/inbox.mjs [--conversations 10000] [--messages 10000] [--cycles 3]
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { createChatServer } from '../dist/server.js'
import { launchChromium } from './lib/browser.mjs'
import { BENCH_RATE_LIMITS, SECRET, flags, mb, median, ms, runBenchmark } from './lib/common.mjs'
import { sampleText } from './lib/server-host.mjs'

const args = flags({ conversations: 10_000, messages: 10_000, cycles: 3 })
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const PASSWORD = 'bench password 123'
/** The inbox's row height (src/inbox/list/ConversationList.tsx). */
const ROW_HEIGHT = 68

await runBenchmark(async (onCleanup) => {
  const server = await createChatServer({
    host: '127.0.0.1',
    port: 0,
    secret: SECRET,
    accounts: true,
    rateLimits: BENCH_RATE_LIMITS,
    files: { inbox: `${ROOT}dist/inbox` },
    logger: { debug() {}, info() {}, warn() {}, error: console.error },
  })
  onCleanup(() => server.close())
  const cookie = await ownerSession(server)
  await fill(server, args.conversations, args.messages)

  const browser = await launchChromium()
  onCleanup(() => browser.close())
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  await context.addCookies([{ name: 'obrolan_session', value: cookie, url: server.url }])
  const errors = []

  const list = []
  const allPages = []
  let pages = 0
  const open = []
  const older = []
  let listed = 0
  let listRows = 0
  let openRows = 0
  let heap = 0
  for (let cycle = 0; cycle < args.cycles; cycle++) {
    const page = await context.newPage()
    page.on('pageerror', (error) => errors.push(String(error)))
    const cdp = await context.newCDPSession(page)
    await page.goto(`${server.url}/inbox/`)
    await page.waitForSelector('[role=option]', { timeout: 60_000 })
    const loaded = await page.evaluate(async (rowHeight) => {
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
      const listbox = document.querySelector('[role=listbox]')
      return {
        ms: performance.now(),
        // Every loaded row has its place in the list box's height (only those in view are in the DOM).
        loaded: Math.round(listbox.getBoundingClientRect().height / rowHeight),
        rows: listbox.querySelectorAll('[role=option]').length,
      }
    }, ROW_HEIGHT)
    list.push(loaded.ms)
    listed = loaded.loaded
    listRows = loaded.rows
    await cdp.send('HeapProfiler.collectGarbage')
    heap = (await cdp.send('Runtime.getHeapUsage')).usedSize

    // Every page: scroll to the end of what is loaded until the last conversation is painted.
    const reached = await page.evaluate(async ({ total, rowHeight }) => {
      const scroller = document.querySelector('.list-scroll')
      const listbox = document.querySelector('[role=listbox]')
      const started = performance.now()
      let pages = 0
      let held = Math.round(listbox.getBoundingClientRect().height / rowHeight)
      while (!document.querySelector(`[role=option][aria-posinset="${total}"][aria-setsize="${total}"]`)) {
        scroller.scrollTop = scroller.scrollHeight
        await new Promise((resolve) => setTimeout(resolve, 1))
        const now = Math.round(listbox.getBoundingClientRect().height / rowHeight)
        if (now > held) pages++
        held = now
        if (performance.now() - started > 120_000) throw new Error(`stuck at ${held} conversations`)
      }
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
      return { ms: performance.now() - started, pages }
    }, { total: args.conversations, rowHeight: ROW_HEIGHT })
    allPages.push(reached.ms)
    pages = reached.pages
    await page.reload()
    await page.waitForSelector('[role=option]', { timeout: 60_000 })

    // The long conversation is the newest: the first row.
    const opened = await page.evaluate(async (expected) => {
      const started = performance.now()
      document.querySelector('[role=option]').click()
      for (;;) {
        const rows = document.querySelectorAll('[role=log] .row')
        if (rows.length > 0 && rows[rows.length - 1].textContent.includes(expected)) break
        await new Promise((resolve) => setTimeout(resolve, 1))
      }
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
      return { ms: performance.now() - started, rows: document.querySelectorAll('[role=log] .row').length }
    }, sampleText(args.messages - 1))
    open.push(opened.ms)
    openRows = opened.rows

    const earlier = await page.evaluate(async () => {
      const log = document.querySelector('[role=log]')
      const before = log.querySelectorAll('.row').length
      const anchor = log.querySelector('.row')
      const top = anchor.getBoundingClientRect().top
      const started = performance.now()
      log.querySelector('button.older').click()
      while (log.querySelectorAll('.row').length === before) await new Promise((resolve) => setTimeout(resolve, 1))
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
      return { ms: performance.now() - started, added: log.querySelectorAll('.row').length - before, moved: Math.abs(anchor.getBoundingClientRect().top - top) }
    })
    if (earlier.moved > 1) throw new Error(`the reader's bubble moved ${earlier.moved}px when older messages came`)
    older.push(earlier.ms)
    await page.close()
  }

  const standIn = await listOfAll(browser, args.conversations)
  if (errors.length) throw new Error(`errors on the page: ${errors.join('; ')}`)
  return (
    `inbox: load → list painted ${ms(median(list))} ms (the first ${listed} conversations of ${args.conversations}, ${listRows} rows in the DOM, heap ${mb(heap)}) | ` +
    `scrolled through all ${args.conversations} from the server → last row painted ${ms(median(allPages))} ms (${pages} more pages) | ` +
    `${args.conversations} in the list: mount → painted ${ms(standIn.mount)} ms, ${standIn.rows} rows in the DOM, scroll to the end → last row painted ${ms(standIn.end)} ms | ` +
    `open a ${args.messages}-message conversation → newest painted ${ms(median(open))} ms (${openRows} bubbles) | ` +
    `earlier messages → painted ${ms(median(older))} ms, reader kept in place (median of ${args.cycles})`
  )
})

/** Creates the owner through the setup link, as the inbox's setup page does; returns the session cookie. */
async function ownerSession(server) {
  const token = new URL(server.setupUrl).hash.replace('#token=', '')
  const response = await fetch(`${server.url}/api/auth/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ token, name: 'Bench', email: 'bench@example.com', password: PASSWORD }),
  })
  if (!response.ok) throw new Error(`setup: ${response.status} ${await response.text()}`)
  return /obrolan_session=([^;]+)/.exec(response.headers.get('set-cookie'))[1]
}

/** `count` conversations of one visitor message each, then one of `messages` messages, newest. */
async function fill(server, count, messages) {
  const start = Date.now() - (count + messages) * 1000
  for (let i = 0; i < count - 1; i++) {
    const visitor = { id: `v${i}`, role: 'visitor', name: `Visitor ${i}` }
    await server.store.openVisitorConversation(visitor, `r${i}`, start + i * 1000)
    await server.store.appendMessage({ roomId: `r${i}`, clientId: `c${i}`, author: visitor, text: sampleText(i), createdAt: start + i * 1000 }, `m-r${i}`)
  }
  const visitor = { id: 'v-long', role: 'visitor', name: 'Long Talker' }
  const agent = { id: 'a-bench', role: 'agent', name: 'Bench' }
  await server.store.openVisitorConversation(visitor, 'long', start + count * 1000)
  for (let i = 0; i < messages; i++) {
    const author = i % 2 ? agent : visitor
    await server.store.appendMessage({ roomId: 'long', clientId: `l${i}`, author, text: sampleText(i), createdAt: start + (count + i) * 1000 }, `m-long-${i}`)
  }
}

/** The inbox's code from src/, mounted on a client stand-in that lists `count` conversations. */
async function listOfAll(browser, count) {
  const bundle = await build({
    stdin: { contents: listPage(), resolveDir: `${ROOT}bench`, loader: 'tsx' },
    bundle: true,
    format: 'iife',
    write: false,
    minify: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  })
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  try {
    const page = await context.newPage()
    const css = (await import('node:fs')).readdirSync(`${ROOT}dist/inbox/assets`).find((name) => name.endsWith('.css'))
    await page.setContent(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title></head><body><div id="app"></div></body></html>`)
    await page.addStyleTag({ path: `${ROOT}dist/inbox/assets/${css}` })
    await page.addScriptTag({ content: bundle.outputFiles[0].text })
    const mounts = []
    let result
    for (let cycle = 0; cycle < args.cycles; cycle++) {
      result = await page.evaluate((n) => window.benchList(n), count)
      mounts.push(result.mount)
    }
    return { ...result, mount: median(mounts) }
  } finally {
    await context.close()
  }
}

/** The page script for the list with every conversation: `window.benchList(count)`. */
function listPage() {
  return `
import { atom } from 'nanostores'
import { startInbox } from '../src/inbox/start-inbox'

const frames = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
const empty = { visitor: { delivered: 0, read: 0 }, agent: { delivered: 0, read: 0 } }
let handle

window.benchList = async (count) => {
  handle?.destroy()
  const now = Date.now()
  const conversations = Array.from({ length: count }, (_, i) => ({
    roomId: 'r' + i,
    visitor: { id: 'v' + i, role: 'visitor', name: 'Visitor ' + i },
    status: 'open',
    lastSeq: 1,
    lastChangeSeq: 0,
    lastMessage: { seq: 1, author: { id: 'v' + i, role: 'visitor' }, text: 'Message number ' + i, createdAt: now - i * 60000 },
    watermarks: empty,
    unread: { visitor: 0, agent: i % 3 },
    presence: { users: {}, visitorConnected: i % 2 === 0, agentConnected: false, totalVisitor: 1, totalAgent: 0 },
    createdAt: now - i * 60000,
    updatedAt: now - i * 60000,
  }))
  const noop = () => {}
  const client = {
    status: atom('connected'), failures: atom(0), messages: atom([]), typing: atom([]), presence: atom(undefined),
    conversation: atom(undefined), unread: atom(0), hasOlder: atom(false), conversations: atom([]),
    conversationsHaveMore: atom(false), conversationLost: atom(undefined),
    user: atom({ id: 'a1', role: 'agent', name: 'Bench' }), hasConversation: true, storageKey: 'bench',
    connect: noop, disconnect: noop, send: noop, retry: noop, discard: noop, edit: noop, remove: noop, setTyping: noop,
    markRead: noop, loadOlder: async () => 0, openConversation: async () => {}, setConversationStatus: async () => {},
    loadMoreConversations: async () => 0, assignConversation: async () => {}, searchMessages: async () => [], setContext: noop,
    identify: noop, on: () => noop, destroy: noop,
  }
  // Every conversation here is open: the "open" list the inbox starts on is all of them.
  client.queryConversations = () => ({ conversations: client.conversations, hasMore: atom(false), loaded: atom(true), loadMore: async () => 0, close: noop })
  const agent = { id: 'a1', email: 'b@example.com', name: 'Bench', role: 'owner', createdAt: 0 }
  const answer = (data) => new Response(JSON.stringify({ success: true, message: 'ok', data }), { status: 200 })
  const root = document.getElementById('app')
  handle = startInbox({ root, fetch: async () => answer({ signedIn: true, agent, setupNeeded: false }), createClient: () => client, storage: { getItem: () => null, setItem: noop }, chime: noop })
  while (!document.querySelector('.list-scroll')) await new Promise((resolve) => setTimeout(resolve, 1))
  const started = performance.now()
  client.conversations.set(conversations)
  while (!document.querySelector('[role=option]')) await new Promise((resolve) => setTimeout(resolve, 1))
  await frames()
  const mount = performance.now() - started
  const rows = document.querySelectorAll('[role=option]').length
  // A jump to the end of the list: the last of the rows is rendered and painted.
  const scroller = document.querySelector('.list-scroll')
  const endStarted = performance.now()
  scroller.scrollTop = scroller.scrollHeight
  while (!document.getElementById('conversation-r' + (count - 1))) await new Promise((resolve) => setTimeout(resolve, 1))
  await frames()
  return { mount, rows, end: performance.now() - endStarted }
}
`
}
