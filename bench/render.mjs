#!/usr/bin/env node
// The widget in Chromium with long conversations. A page loads dist/obrolan.umd.cjs from a tiny
// static server; our server (in this process) has the visitor's conversation pre-filled with N
// messages straight through `server.store.appendMessage`; the widget's client (pageSize 200) loads
// them all with loadOlder() while the panel is closed. Then, for each N in --sizes:
//   load    — mountWidget → all N messages in the client's store (the widget renders the newest
//             100, the render window; the rest as the reader scrolls up);
//   open    — widget.open() → the panel painted (two requestAnimationFrames), first and median of
//             --cycles (at most 2 above 2,000 messages), interleaved with the baseline: a static copy of the same DOM under the
//             same stylesheets, no JavaScript, shown the same way (what the browser alone costs);
//   heap    — the page's V8 heap (CDP, after GC) added by the widget with N messages, DOM nodes.
// On the --append-size list (1,000 by default) after opening it:
//   append  — an agent's message, from the server's broadcast (the store append it follows) to
//             its bubble in the DOM (MutationObserver; the two clocks matched by round trips), the
//             part of it from the websocket frame's arrival in the page (page clock only), and
//             which bubbles the DOM changes touched: ideally only the new one;
//   burst   — --burst messages sent at once by the agent, until all are in the DOM.
//   scroll  — on the N list once open: reaching the top → the next 100 bubbles painted, with the
//             reader's message kept in place.
// Prints one line.
//
//   node bench/render.mjs [--sizes 1000,10000] [--append-size 1000] [--appends 10] [--burst 200] [--cycles 3]
import { rawAgent, request } from './lib/clients.mjs'
import { deferred, epochNow, flags, mb, median, ms, ratio, runBenchmark, sleep, withTimeout } from './lib/common.mjs'
import { launchChromium, openPage, startSite } from './lib/browser.mjs'
import { sampleText, startOurServer } from './lib/server-host.mjs'

const args = flags({ sizes: [1000, 10000], 'append-size': 1000, appends: 10, burst: 200, cycles: 3 })
const LONG_MS = 120_000

await runBenchmark(async (onCleanup) => {
  const server = await startOurServer()
  onCleanup(() => server.close())
  const site = await startSite()
  onCleanup(() => site.close())
  const browser = await launchChromium()
  onCleanup(() => browser.close())

  const parts = []
  for (const size of args.sizes) {
    const tab = await openPage(browser, site, { initScript: recordFrames })
    try {
      parts.push(await measureList(tab, size))
      if (tab.errors.length) throw new Error(`errors on the page: ${tab.errors.join('; ')}`)
    } finally {
      await tab.close()
    }
  }
  return `render: ${parts.join(' | ')}`

  async function measureList(tab, size) {
    const { page } = tab
    // A visitor is made (credentials kept in the page's localStorage) to learn its room.
    const { roomId, user } = await page.evaluate(async (url) => {
      const client = window.ObrolanSDK.createChatClient({ url, socket: { transports: ['websocket'] } })
      await new Promise((resolve) => client.status.subscribe((s) => s === 'connected' && resolve()))
      const result = { roomId: client.conversation.get().roomId, user: client.user.get() }
      client.destroy()
      return result
    }, server.url)
    const agentAuthor = { id: 'agent', role: 'agent', name: 'Agent' }
    const start = Date.now() - size * 60_000
    // Protocol v2: a visitor's conversation exists once created (by its first message).
    await server.store.openVisitorConversation(user, roomId, start)
    for (let i = 0; i < size; i++) {
      await server.store.appendMessage(
        { roomId, clientId: `prefill-${i}`, author: i % 2 ? agentAuthor : user, text: sampleText(i), createdAt: start + i * 60_000 },
        `prefill-${i}`,
      )
    }
    const heapBefore = await tab.heap()
    const nodesBefore = await tab.nodes()

    // Mount closed; the same visitor (localStorage) loads every page of history.
    const load = await withTimeout(
      page.evaluate(async ({ url, size }) => {
        const started = performance.now()
        const widget = window.ObrolanSDK.mountWidget({ url, clientOptions: { pageSize: 200, socket: { transports: ['websocket'] } } })
        window.widget = widget
        const { client } = widget
        await new Promise((resolve) => client.status.subscribe((s) => s === 'connected' && resolve()))
        let pages = 1
        while (client.hasOlder.get()) {
          await client.loadOlder()
          pages++
        }
        const log = widget.host.shadowRoot.querySelector('.log')
        while (client.messages.get().length < size) await new Promise((resolve) => setTimeout(resolve, 5))
        await new Promise((resolve) => setTimeout(resolve, 50))
        return { ms: performance.now() - started, pages, held: client.messages.get().length, rows: log.querySelectorAll('.row:not(.greeting)').length }
      }, { url: server.url, size }),
      LONG_MS,
      `${size} messages to load`,
    )
    if (load.held !== size) throw new Error(`expected ${size} messages, found ${load.held}`)
    const heapLoaded = await tab.heap()
    const nodesLoaded = await tab.nodes()

    // The first open, watched: which bubbles change in the half second after it (marking read).
    await installObserver(page)
    const firstOpen = await page.evaluate(async () => {
      const started = performance.now()
      window.widget.open()
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
      return performance.now() - started
    })
    await quiet(page)
    const afterFirstOpen = await takeObserved(page)

    // Then open/close cycles, ours and the static copy taking turns.
    await page.evaluate(() => {
      const source = window.widget.host
      const host = document.createElement('div')
      for (const { name, value } of source.attributes) host.setAttribute(name, value)
      const shadow = host.attachShadow({ mode: 'open' })
      shadow.adoptedStyleSheets = source.shadowRoot.adoptedStyleSheets
      shadow.innerHTML = source.shadowRoot.innerHTML
      shadow.querySelector('.panel').hidden = true
      document.body.appendChild(host)
      window.staticCopy = shadow
    })
    const oursOpen = []
    const staticOpen = []
    // A long list takes seconds per cycle; two are enough to see it.
    const cycles = size > 2000 ? Math.min(2, args.cycles) : args.cycles
    for (let cycle = 0; cycle < cycles; cycle++) {
      const order = cycle % 2 ? ['static', 'ours'] : ['ours', 'static']
      for (const which of order) {
        const took = await page.evaluate(async (which) => {
          const frames = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
          const panel = window.staticCopy.querySelector('.panel')
          const log = window.staticCopy.querySelector('.log')
          // Everything closed and painted first.
          window.widget.close()
          panel.hidden = true
          await frames()
          const started = performance.now()
          if (which === 'ours') window.widget.open()
          else {
            panel.hidden = false
            log.scrollTop = log.scrollHeight
          }
          await frames()
          const took = performance.now() - started
          panel.hidden = true
          return took
        }, which)
        ;(which === 'ours' ? oursOpen : staticOpen).push(took)
      }
    }
    await page.evaluate(() => {
      window.staticCopy.host.remove()
      window.staticCopy = undefined
      window.widget.open()
    })

    let text =
      `${size} msgs: load ${ms(load.ms)} ms (${load.pages} pages), open→paint first ${ms(firstOpen)} ms, ` +
      `median of ${cycles} ${ms(median(oursOpen))} ms (static DOM ${ms(median(staticOpen))} ms, ratio ${ratio(median(oursOpen) / median(staticOpen))}), ` +
      `heap +${mb(heapLoaded - heapBefore)}, ${load.rows} bubbles and ${(nodesLoaded - nodesBefore).toFixed(0)} DOM nodes, ` +
      `first open re-rendered ${afterFirstOpen.otherRows} bubbles, ${await measureScrollBack(page)}`
    if (size === args['append-size']) text += `; ${await measureIncoming(page, roomId)}`
    return text
  }

  /** Scrolls the open list to the top: how long until the next bubbles are painted, and the reader kept in place. */
  async function measureScrollBack(page) {
    const result = await page.evaluate(async () => {
      const log = window.widget.host.shadowRoot.querySelector('.log')
      const frames = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
      const rowsNow = () => log.querySelectorAll('.row:not(.greeting)').length
      // Settled at the bottom first, as a reader who just opened the panel.
      log.scrollTop = log.scrollHeight
      await frames()
      await frames()
      const before = rowsNow()
      const reading = log.querySelector('.row:not(.greeting)')
      const started = performance.now()
      log.scrollTop = 0
      while (rowsNow() === before && performance.now() - started < 5000) await new Promise((resolve) => setTimeout(resolve, 1))
      await frames()
      const took = performance.now() - started
      // Where the message that was first on screen is now, relative to the top of the log.
      const offset = reading.getBoundingClientRect().top - log.getBoundingClientRect().top
      return { took, added: rowsNow() - before, offset }
    })
    return `scroll to top → ${result.added} more bubbles painted in ${ms(result.took)} ms (the first one read kept ${result.offset.toFixed(0)} px below the top)`
  }

  async function measureIncoming(page, roomId) {
    const agent = await rawAgent(server.url)
    let restoreStore = () => {}
    try {
      await request(agent, 'join_room', { roomId, limit: 1 })
      // The broadcast follows the store's append at once (same handler, one await later), so the
      // append's completion is the broadcast time; the agent's socket in this busy process would
      // hear it later than the page does.
      const broadcastAt = new Map()
      const append = server.store.appendMessage
      server.store.appendMessage = async (...call) => {
        const result = await append.apply(server.store, call)
        broadcastAt.set(call[0].clientId, epochNow())
        return result
      }
      restoreStore = () => (server.store.appendMessage = append)
      // The server answers the sender with an ack, not with an echo of its own message.
      const waiting = new Map()
      const acked = (clientId) => () => waiting.get(clientId)?.resolve()
      const offset = await clockOffset(page)
      await installObserver(page)

      // One message at a time.
      const latencies = []
      const frameToDom = []
      const touched = []
      const added = []
      const records = []
      for (let i = 0; i < args.appends; i++) {
        await takeObserved(page)
        const clientId = `append-${i}-${Math.random().toString(36).slice(2)}`
        const arrived = deferred()
        waiting.set(clientId, arrived)
        agent.emit('send_message', { roomId, clientId, text: sampleText(i + 5) }, acked(clientId))
        await withTimeout(arrived.promise, 10_000, 'the broadcast')
        await page.waitForFunction((id) => window.__observed.added.some((a) => a.id === id), clientId, { timeout: 10_000 })
        await sleep(150) // receipts (delivered, read) that follow it
        const seen = await takeObserved(page)
        const row = seen.addedRows.find((a) => a.id === clientId)
        latencies.push(row.t - offset - broadcastAt.get(clientId))
        const frameAt = await page.evaluate((id) => window.__frames.get(id), clientId)
        if (frameAt === undefined) throw new Error('the page saw no websocket frame for the message')
        frameToDom.push(row.t - frameAt)
        touched.push(seen.otherRows)
        added.push(seen.addedRows.length)
        records.push(seen.records)
      }

      // A burst, all sent at once.
      const ids = Array.from({ length: args.burst }, (_, i) => `burst-${i}-${Math.random().toString(36).slice(2)}`)
      const allBroadcast = deferred()
      let broadcasts = 0
      for (const id of ids) waiting.set(id, { resolve: () => ++broadcasts === ids.length && allBroadcast.resolve() })
      await takeObserved(page)
      const sentAt = epochNow()
      for (const [i, clientId] of ids.entries()) agent.emit('send_message', { roomId, clientId, text: sampleText(i) }, acked(clientId))
      await withTimeout(allBroadcast.promise, 30_000, 'the burst broadcasts')
      const serverMs = Math.max(...ids.map((id) => broadcastAt.get(id))) - sentAt
      await page.waitForFunction((count) => window.__observed.added.length >= count, ids.length, { timeout: 60_000, polling: 50 })
      const burst = await takeObserved(page)
      const rowTimes = burst.addedRows.map((a) => a.t)
      const burstMs = Math.max(...rowTimes) - offset - sentAt
      const firstRowMs = Math.min(...rowTimes) - offset - sentAt

      return (
        `append 1 incoming: broadcast→DOM p50 ${ms(median(latencies))} ms (max ${ms(Math.max(...latencies))}; ` +
        `of which websocket frame→DOM ${ms(median(frameToDom))} ms), ` +
        `${median(added)} bubble added, ${median(touched)} other bubbles changed (median; max ${Math.max(...touched)}), ` +
        `${median(records)} mutation records; burst of ${args.burst}: all in DOM after ${ms(burstMs)} ms ` +
        `(first after ${ms(firstRowMs)} ms; the server broadcast the last after ${ms(serverMs)} ms)`
      )
    } finally {
      restoreStore()
      agent.close()
    }
  }
})

/**
 * Runs in the page before its scripts: notes when each websocket frame carrying a `new_message`
 * arrives (before socket.io sees it), by clientId, so that frame → DOM is timed on the page's
 * clock alone.
 */
function recordFrames() {
  const Native = window.WebSocket
  window.__frames = new Map()
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args)
      this.addEventListener('message', (event) => {
        if (typeof event.data !== 'string' || !event.data.includes('"new_message"')) return
        const match = /"clientId":"([^"]+)"/.exec(event.data)
        if (match) window.__frames.set(match[1], performance.timeOrigin + performance.now())
      })
    }
  }
}

/**
 * Watches the widget's message list: bubbles (`.row`) added, and every other bubble any DOM
 * change landed in (attributes, text, children). Times are wall-clock (timeOrigin + now).
 */
function installObserver(page) {
  return page.evaluate(() => {
    window.__observer?.disconnect()
    const log = window.widget.host.shadowRoot.querySelector('.log')
    window.__observed = { added: [], touched: new Set(), records: 0 }
    const rowOf = (node) => (node.nodeType === 1 ? node : node.parentElement)?.closest?.('.row')
    window.__observer = new MutationObserver((mutations) => {
      const t = performance.timeOrigin + performance.now()
      const seen = window.__observed
      seen.lastT = t
      seen.records += mutations.length
      for (const mutation of mutations) {
        for (const node of mutation.addedNodes) {
          if (node.nodeType === 1 && node.classList.contains('row') && node.parentElement === log) {
            seen.added.push({ id: node.getAttribute('data-client-id'), t })
          }
        }
        const row = rowOf(mutation.target)
        if (row) seen.touched.add(row)
      }
    })
    window.__observer.observe(log, { childList: true, subtree: true, attributes: true, characterData: true })
  })
}

/** Until the list has had no DOM change for 300 ms (at most 20 s). */
async function quiet(page) {
  const since = await page.evaluate(() => performance.timeOrigin + performance.now())
  await page.waitForFunction(
    (since) => performance.timeOrigin + performance.now() - Math.max(since, window.__observed.lastT ?? 0) >= 300,
    since,
    { timeout: 20_000, polling: 50 },
  )
}

/** What the observer saw since the last call; resets it. */
function takeObserved(page) {
  return page.evaluate(() => {
    const seen = window.__observed
    window.__observed = { added: [], touched: new Set(), records: 0 }
    const addedIds = new Set(seen.added.map((a) => a.id))
    let otherRows = 0
    for (const row of seen.touched) if (!addedIds.has(row.getAttribute('data-client-id'))) otherRows++
    return { addedRows: seen.added, otherRows, records: seen.records }
  })
}

/** Page clock minus this process's clock (both wall-clock ms), from the round trip with the least delay. */
async function clockOffset(page) {
  let best = { rtt: Infinity, offset: 0 }
  for (let i = 0; i < 20; i++) {
    const before = epochNow()
    const pageNow = await page.evaluate(() => performance.timeOrigin + performance.now())
    const after = epochNow()
    if (after - before < best.rtt) best = { rtt: after - before, offset: pageNow - (before + after) / 2 }
  }
  return best.offset
}
