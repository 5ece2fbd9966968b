#!/usr/bin/env node
// Relay throughput, messages per second from one sender to one receiver through the server.
// Bare: socket A emits N `relay` events, the server sends each on with `socket.to(room).emit`,
// socket B receives them. Ours: a visitor calls client.send() N times, an agent that opened the
// conversation receives them all (its `message` event). Both senders keep at most `--window`
// messages on their way (sent, not yet received), so neither side measures an unbounded buffer;
// the time runs from the first send to the last arrival. CPU time per message is reported for
// the server process and for this process (both clients), which a busy machine disturbs less. Servers run in a child process. Bare and
// ours alternate round by round with fresh clients; the ratio is the median of the rounds' ratios.
// Prints one line.
//
//   node bench/throughput.mjs [--messages 1000] [--window 100] [--rounds 4]
import { chatPair, rawSocket, request } from './lib/clients.mjs'
import { deferred, flags, median, now, rate, ratio, runBenchmark, withTimeout } from './lib/common.mjs'
import { startServerHost } from './lib/servers.mjs'

const args = flags({ messages: 1000, window: 100, rounds: 4 })
const TEXT = 'Halo, pesanan saya nomor 12345 sudah dikirim belum?'
const ROUND_TIMEOUT_MS = 60_000

await runBenchmark(async (onCleanup) => {
  const host = await startServerHost({ bare: true, chat: true })
  onCleanup(() => host.close())

  // Warm-up rounds, not recorded.
  await bareRound(host.bareUrl, Math.min(500, args.messages))
  await oursRound(host.chatUrl, Math.min(500, args.messages))

  const bare = []
  const ours = []
  for (let round = 0; round < args.rounds; round++) {
    if (round % 2 === 0) {
      bare.push(await bareRound(host.bareUrl, args.messages))
      ours.push(await oursRound(host.chatUrl, args.messages))
    } else {
      ours.push(await oursRound(host.chatUrl, args.messages))
      bare.push(await bareRound(host.bareUrl, args.messages))
    }
  }
  const cpu = (list) => median(list.map((r) => r.serverCpuUs / args.messages))
  const clientCpu = (list) => median(list.map((r) => r.clientCpuUs / args.messages))
  const r = median(ours.map((o, i) => o.perSecond / bare[i].perSecond))
  return (
    `throughput: ours ${rate(median(ours.map((o) => o.perSecond)))} msg/s, bare relay ${rate(median(bare.map((b) => b.perSecond)))} msg/s, ` +
    `ratio ${ratio(r)} (goal >= 0.5) | CPU per message: server ours ${cpu(ours).toFixed(0)} us, bare ${cpu(bare).toFixed(0)} us; ` +
    `both clients ours ${clientCpu(ours).toFixed(0)} us, bare ${clientCpu(bare).toFixed(0)} us ` +
    `[${args.rounds} rounds of ${args.messages} messages, window ${args.window}]`
  )

  async function serverCpu() {
    return (await host.call('stats', { gc: false })).cpuUs
  }

  /** Sends through `send(i)` while fewer than `window` are on their way; resolves once all arrived. */
  async function pump(count, send, arrivals) {
    let sent = 0
    let received = 0
    const done = deferred()
    const fill = () => {
      try {
        while (sent < count && sent - received < args.window) send(sent++)
      } catch (error) {
        done.reject(error)
      }
    }
    arrivals(() => {
      received++
      if (received === count) done.resolve()
      else fill()
    })
    const cpuBefore = await serverCpu()
    const clientCpuBefore = process.cpuUsage()
    const start = now()
    fill()
    await withTimeout(done.promise, ROUND_TIMEOUT_MS, `${count} messages to arrive`)
    const elapsed = now() - start
    const clientCpu = process.cpuUsage(clientCpuBefore)
    return {
      perSecond: (count / elapsed) * 1000,
      serverCpuUs: (await serverCpu()) - cpuBefore,
      clientCpuUs: clientCpu.user + clientCpu.system,
    }
  }

  async function bareRound(url, count) {
    const room = `room-${Math.random().toString(36).slice(2)}`
    const [a, b] = await Promise.all([rawSocket(url), rawSocket(url)])
    try {
      await request(b, 'join', room)
      return await pump(
        count,
        (i) => a.emit('relay', room, { roomId: room, clientId: `c${i}`, text: TEXT }),
        (onArrival) => b.on('m', onArrival),
      )
    } finally {
      a.close()
      b.close()
    }
  }

  async function oursRound(url, count) {
    const pair = await chatPair(url)
    try {
      return await pump(
        count,
        () => pair.visitor.send(TEXT),
        (onArrival) => pair.agent.on('message', onArrival),
      )
    } finally {
      pair.destroy()
    }
  }
})
