#!/usr/bin/env node
// Memory of idle clients.
// Node: V8 heap used (after global.gc()) per connected idle client, `--clients` at a time:
//   ours = createChatClient visitors (connected, conversation joined), bare = socket.io-client
//   sockets (connected). Servers run in a child process, so only client memory is counted.
//   Bare and ours alternate round by round; medians.
// Chromium: V8 heap (CDP Runtime.getHeapUsage after HeapProfiler.collectGarbage) and DOM nodes
//   added by mounting the UMD widget, open and connected to a server: the first widget on a page
//   (which also pays for the library's first use) and each further one. Median over fresh pages.
// Prints one line. Node runs itself again with --expose-gc when started without it.
//
//   node bench/memory.mjs [--clients 200] [--rounds 3] [--widgets 5] [--pages 3] [--no-browser]
import { spawnSync } from 'node:child_process'

if (typeof global.gc !== 'function') {
  const again = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' })
  process.exit(again.status ?? 1)
}

const { chatClient, connected } = await import('./lib/clients.mjs')
const { flags, kb, median, pool, runBenchmark, sleep, withTimeout, ratio } = await import('./lib/common.mjs')
const { startServerHost } = await import('./lib/servers.mjs')
const { io } = await import('socket.io-client')

const args = flags({ clients: 200, rounds: 3, widgets: 5, pages: 3, 'no-browser': false })

await runBenchmark(async (onCleanup) => {
  const host = await startServerHost({ bare: true, chat: true })
  onCleanup(() => host.close())

  const heapUsed = async () => {
    await sleep(100)
    global.gc()
    global.gc()
    return process.memoryUsage().heapUsed
  }
  /** Until the server has seen every connection of the last round close, and a little longer. */
  const settled = async () => {
    const started = Date.now()
    while ((await host.call('stats', { gc: false })).connections > 0) {
      if (Date.now() - started > 20_000) throw new Error('connections of the last round did not close')
      await sleep(50)
    }
    await sleep(300)
  }

  async function bareRound() {
    await settled()
    const before = await heapUsed()
    const sockets = await pool(args.clients, 50, async () => {
      const socket = io(host.bareUrl, { forceNew: true, transports: ['websocket'] })
      await withTimeout(new Promise((resolve) => socket.once('connect', resolve)), 20_000, 'a bare socket')
      return socket
    })
    const after = await heapUsed()
    for (const socket of sockets) socket.close()
    return (after - before) / args.clients
  }

  async function oursRound() {
    await settled()
    const before = await heapUsed()
    const clients = await pool(args.clients, 50, async () => {
      const client = chatClient(host.chatUrl)
      await connected(client)
      return client
    })
    const after = await heapUsed()
    for (const client of clients) client.destroy()
    return (after - before) / args.clients
  }

  // One of each first, unrecorded: the first use of a module allocates more than any later one.
  await bareRound()
  await oursRound()
  const bare = []
  const ours = []
  for (let round = 0; round < args.rounds; round++) {
    if (round % 2 === 0) {
      bare.push(await bareRound())
      ours.push(await oursRound())
    } else {
      ours.push(await oursRound())
      bare.push(await bareRound())
    }
  }
  const node =
    `memory: node heap per idle client ours ${kb(median(ours))}, bare socket.io-client ${kb(median(bare))}, ` +
    `ratio ${ratio(median(ours) / median(bare))} [${args.clients} clients, ${args.rounds} rounds]`
  if (args['no-browser']) return node
  return `${node} | ${await browserPart(host.chatUrl, onCleanup)}`
})

async function browserPart(chatUrl, onCleanup) {
  const { launchChromium, openPage, startSite } = await import('./lib/browser.mjs')
  const browser = await launchChromium()
  onCleanup(() => browser.close())
  const site = await startSite()
  onCleanup(() => site.close())

  const first = []
  const further = []
  const firstNodes = []
  const furtherNodes = []
  for (let p = 0; p < args.pages; p++) {
    const tab = await openPage(browser, site)
    try {
      const mount = (count) =>
        tab.page.evaluate(
          async ({ url, count }) => {
            const { mountWidget, memoryStorage } = window.ObrolanSDK
            window.widgets ??= []
            const mounted = Array.from({ length: count }, () =>
              mountWidget({ url, open: true, clientOptions: { storage: memoryStorage(), socket: { transports: ['websocket'] } } }),
            )
            window.widgets.push(...mounted)
            await Promise.all(
              mounted.map(
                (w) =>
                  new Promise((resolve) => {
                    const off = w.client.status.subscribe((s) => s === 'connected' && (resolve(), queueMicrotask(() => off())))
                  }),
              ),
            )
            await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
          },
          { url: chatUrl, count },
        )
      const h0 = await tab.heap()
      const n0 = await tab.nodes()
      await withTimeout(mount(1), 20_000, 'the first widget to connect')
      const h1 = await tab.heap()
      const n1 = await tab.nodes()
      const more = Math.max(1, args.widgets - 1)
      await withTimeout(mount(more), 20_000, 'more widgets to connect')
      const h2 = await tab.heap()
      const n2 = await tab.nodes()
      first.push(h1 - h0)
      further.push((h2 - h1) / more)
      firstNodes.push(n1 - n0)
      furtherNodes.push((n2 - n1) / more)
      if (tab.errors.length) throw new Error(`errors on the page: ${tab.errors.join('; ')}`)
    } finally {
      await tab.close()
    }
  }
  return (
    `chromium JS heap per open connected widget: first ${kb(median(first))} (${median(firstNodes).toFixed(0)} DOM nodes), ` +
    `each further ${kb(median(further))} (${median(furtherNodes).toFixed(0)} nodes) [${args.pages} pages, ${args.widgets} widgets each]`
  )
}
