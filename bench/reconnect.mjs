#!/usr/bin/env node
// Reconnection: the server goes away for `--down` ms and comes back on the same port with the
// same store. Ours: a visitor client (backoff { minMs: 50, maxMs: 500 }); while it is still away,
// an agent connected to the new server sends `--missed` messages to its conversation; measured is
// the time from the new server listening to the visitor being `connected` with those messages in
// its `messages` store. Bare: a socket.io-client socket with socket.io's default reconnection
// (reconnectionDelay 1000, reconnectionDelayMax 5000, randomizationFactor 0.5) to a bare
// socket.io server restarted the same way, from listening to its `connect`. Servers run in this
// process; bare and ours alternate round by round. Prints medians and the ratio of medians.
//
//   node bench/reconnect.mjs [--rounds 5] [--down 1000] [--missed 3]
import { io } from 'socket.io-client'
import { createMemoryStore } from '../dist/server.js'
import { chatClient, rawAgent, request, startedConversation } from './lib/clients.mjs'
import { deferred, flags, median, ms, now, ratio, runBenchmark, sleep, until, withTimeout } from './lib/common.mjs'
import { startBareServer, startOurServer } from './lib/server-host.mjs'

const args = flags({ rounds: 5, down: 1000, missed: 3 })
const TIMEOUT_MS = 20_000

await runBenchmark(async (onCleanup) => {
  // Ours: one store for every incarnation of the server, and one visitor throughout.
  const store = createMemoryStore()
  let server = await startOurServer({ store })
  onCleanup(() => server.close())
  const port = server.port
  const visitor = chatClient(server.url, { backoff: { minMs: 50, maxMs: 500 } })
  onCleanup(() => visitor.destroy())
  const roomId = await startedConversation(visitor)

  // Bare: a socket.io server and a client with socket.io's own reconnection, all defaults.
  let bareServer = await startBareServer()
  onCleanup(() => bareServer.close())
  const barePort = bareServer.port
  const bareClient = io(bareServer.url, { transports: ['websocket'], forceNew: true })
  onCleanup(() => bareClient.close())
  await withTimeout(new Promise((resolve) => bareClient.once('connect', resolve)), TIMEOUT_MS, 'the bare client')

  const oursTimes = []
  const oursConnected = []
  const bareTimes = []
  let batch = 0

  async function oursRound() {
    await server.close()
    await until(visitor.status, (status) => status !== 'connected', TIMEOUT_MS, 'the visitor to notice')
    await sleep(args.down)
    server = await startOurServer({ store, port })
    const back = now()
    const connectedAt = until(visitor.status, (status) => status === 'connected', TIMEOUT_MS, 'the visitor to reconnect').then(now)
    // Someone on the new server writes while the visitor is away.
    const agent = await rawAgent(server.url)
    const texts = []
    try {
      for (let i = 0; i < args.missed; i++) {
        const text = `missed ${batch}-${i}`
        texts.push(text)
        await request(agent, 'send_message', { roomId, clientId: `missed-${batch}-${i}`, text })
      }
    } finally {
      agent.close()
    }
    batch++
    oursConnected.push((await connectedAt) - back)
    await until(visitor.messages, (list) => texts.every((text) => list.some((m) => m.text === text)), TIMEOUT_MS, 'the missed messages')
    oursTimes.push(now() - back)
  }

  async function bareRound() {
    const gone = deferred()
    bareClient.once('disconnect', gone.resolve)
    await bareServer.close()
    await withTimeout(gone.promise, TIMEOUT_MS, 'the bare client to notice')
    await sleep(args.down)
    const again = new Promise((resolve) => bareClient.once('connect', resolve))
    bareServer = await startBareServer(barePort)
    const back = now()
    await withTimeout(again, TIMEOUT_MS, 'the bare client to reconnect')
    bareTimes.push(now() - back)
  }

  for (let round = 0; round < args.rounds; round++) {
    if (round % 2 === 0) {
      await bareRound()
      await oursRound()
    } else {
      await oursRound()
      await bareRound()
    }
  }

  const oursMedian = median(oursTimes)
  const bareMedian = median(bareTimes)
  return (
    `reconnect: ours ${ms(oursMedian)} ms to connected with ${args.missed} missed messages (connected ${ms(median(oursConnected))} ms; ` +
    `range ${ms(Math.min(...oursTimes))}-${ms(Math.max(...oursTimes))}; backoff 50-500 ms) | bare socket.io default reconnection ` +
    `${ms(bareMedian)} ms (range ${ms(Math.min(...bareTimes))}-${ms(Math.max(...bareTimes))}), ratio ${ratio(oursMedian / bareMedian)} ` +
    `[${args.rounds} rounds, server down ${args.down} ms]`
  )
})
