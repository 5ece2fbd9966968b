#!/usr/bin/env node
// The server under many connections. Each round starts a fresh server process and
//   1. opens --connections visitor connections (socket.io-client, websocket), --concurrency at a
//      time, each joined to its own room — ours: the protocol by hand (handshake `auth: { v: 1,
//      role: 'visitor' }`, `session`, then `join_room`); bare: connect, then a `join` with ack —
//      and reports the time taken and the server's RSS and V8 heap per connection (after GC);
//   2. fans out: one agent joined to every room; each visitor sends --per-visitor messages (at
//      most --window unanswered at a time over all visitors); every message is delivered to the
//      agent (the sender gets an ack). Reports messages/s, deliveries/s and the server's CPU time per
//      message. Ours: send_message (stored, acked, broadcast to the room, and the agents' list
//      updated); bare: `send` → socket.to(room).emit + ack.
// Bare and ours alternate round by round; medians. The clients run in this process, the server
// in a child. Prints one line.
//
//   node bench/server.mjs [--connections 2000] [--per-visitor 2] [--window 500] [--rounds 2] [--concurrency 100]
import { rawAgent, rawSocket, rawVisitor, request } from './lib/clients.mjs'
import { debug, deferred, flags, kb, mb, median, ms, now, pool, rate, ratio, runBenchmark, withTimeout } from './lib/common.mjs'
import { startServerHost } from './lib/servers.mjs'

const args = flags({ connections: 2000, 'per-visitor': 2, window: 500, rounds: 2, concurrency: 100 })
const TEXT = 'Halo, pesanan saya nomor 12345 sudah dikirim belum?'

await runBenchmark(async (onCleanup) => {
  const results = { bare: [], ours: [] }
  for (let round = 0; round < args.rounds; round++) {
    const order = round % 2 ? ['ours', 'bare'] : ['bare', 'ours']
    for (const kind of order) results[kind].push(await runRound(kind, onCleanup))
  }
  const m = (kind, key) => median(results[kind].map((r) => r[key]))
  const messages = args.connections * args['per-visitor']
  return (
    `server: ${args.connections} idle connections opened in ${ms(m('ours', 'openMs'))} ms (bare ${ms(m('bare', 'openMs'))}), ` +
    `server RSS ${mb(m('ours', 'rss'))} = ${kb(m('ours', 'rssPer'))}/conn, heap ${kb(m('ours', 'heapPer'))}/conn ` +
    `(bare ${mb(m('bare', 'rss'))} = ${kb(m('bare', 'rssPer'))}/conn, heap ${kb(m('bare', 'heapPer'))}/conn) | ` +
    `fan-out ${messages} msgs from ${args.connections} visitors to them and 1 agent: ours ${rate(m('ours', 'perSecond'))} msg/s ` +
    `= ${rate(m('ours', 'deliveriesPerSecond'))} deliveries/s, server CPU ${m('ours', 'cpuPerMessage').toFixed(0)} us/msg ` +
    `(bare ${rate(m('bare', 'perSecond'))} msg/s = ${rate(m('bare', 'deliveriesPerSecond'))} deliveries/s, ` +
    `${m('bare', 'cpuPerMessage').toFixed(0)} us/msg; ratio ${ratio(m('ours', 'perSecond') / m('bare', 'perSecond'))}) ` +
    `[${args.rounds} rounds, window ${args.window}]`
  )
})

async function runRound(kind, onCleanup) {
  const host = await startServerHost(kind === 'bare' ? { bare: true } : { chat: true })
  const url = kind === 'bare' ? host.bareUrl : host.chatUrl
  const sockets = []
  const closeAll = async () => {
    for (const socket of sockets.splice(0)) socket.close()
    await host.close()
  }
  onCleanup(closeAll)
  try {
    const before = await host.call('stats')

    // 1. Idle connections, each in its own room.
    const started = now()
    const visitors = await pool(args.connections, args.concurrency, async (i) => {
      if (kind === 'bare') {
        const socket = await rawSocket(url)
        sockets.push(socket)
        const roomId = `room-${i}`
        await request(socket, 'join', roomId)
        return { socket, roomId }
      }
      const visitor = await rawVisitor(url)
      sockets.push(visitor.socket)
      return visitor
    })
    const openMs = now() - started
    debug(`${kind}: ${args.connections} connections in ${openMs.toFixed(0)} ms`)
    const held = await host.call('stats')

    // 2. Fan-out through one agent in every room.
    const agent = kind === 'bare' ? await rawSocket(url) : await rawAgent(url)
    sockets.push(agent)
    await pool(visitors.length, args.concurrency, (i) =>
      kind === 'bare' ? request(agent, 'join', visitors[i].roomId) : request(agent, 'join_room', { roomId: visitors[i].roomId, limit: 1 }),
    )
    debug(`${kind}: agent joined every room`)
    const event = kind === 'bare' ? 'm' : 'new_message'
    const total = visitors.length * args['per-visitor']
    const expected = total
    let deliveries = 0
    let answered = 0
    let sent = 0
    const done = deferred()
    const delivered = () => {
      if (++deliveries === expected && answered === total) done.resolve()
    }
    agent.on(event, delivered)
    const onAnswer = (answer) => {
      if (answer && answer.ok === false) done.reject(new Error(`send refused: ${answer.error?.code} ${answer.error?.message}`))
      answered++
      if (deliveries === expected && answered === total) done.resolve()
      else fill()
    }
    const fill = () => {
      while (sent < total && sent - answered < args.window) {
        const i = sent++
        const { socket, roomId } = visitors[i % visitors.length]
        const clientId = `m-${i}`
        if (kind === 'bare') socket.emit('send', roomId, { roomId, clientId, text: TEXT }, onAnswer)
        else socket.emit('send_message', { roomId, clientId, text: TEXT }, onAnswer)
      }
    }
    const cpuBefore = (await host.call('stats', { gc: false })).cpuUs
    const fanStarted = now()
    fill()
    await withTimeout(done.promise, 120_000, `${expected} deliveries`)
    const fanMs = now() - fanStarted
    const cpuAfter = (await host.call('stats', { gc: false })).cpuUs
    debug(`${kind}: fan-out of ${total} messages in ${fanMs.toFixed(0)} ms`)

    return {
      openMs,
      rss: held.rss,
      rssPer: (held.rss - before.rss) / args.connections,
      heapPer: (held.heapUsed - before.heapUsed) / args.connections,
      perSecond: (total / fanMs) * 1000,
      deliveriesPerSecond: (expected / fanMs) * 1000,
      cpuPerMessage: (cpuAfter - cpuBefore) / total,
    }
  } finally {
    await closeAll()
  }
}
