// A child process holding the servers a benchmark measures, so that their CPU and memory are
// apart from the clients': a bare socket.io server (the baseline) and/or our createChatServer.
// Started by `startServerHost` (servers.mjs) with --expose-gc; talks over IPC; exits when the
// parent goes away.
import { createServer } from 'node:http'
import { Server } from 'socket.io'
import { createChatServer } from '../../dist/server.js'
import { AGENT_TOKEN, BENCH_RATE_LIMITS, SECRET } from './common.mjs'
import { serveCommands } from './worker.mjs'


/**
 * The baseline: socket.io with nothing of ours. `x` is an echo with ack, `join` joins a room,
 * `relay` sends to the rest of a room (socket.to), `send` to the whole room with an ack (io.to),
 * like a chat server that stores nothing, checks nothing and tells nobody else.
 */
export async function startBareServer(port = 0) {
  const http = createServer()
  const io = new Server(http, { serveClient: false })
  io.on('connection', (socket) => {
    socket.on('x', (message, ack) => ack(message))
    socket.on('join', (room, ack) => {
      socket.join(room)
      if (typeof ack === 'function') ack({ ok: true })
    })
    socket.on('relay', (room, message) => socket.to(room).emit('m', message))
    // Like ours: everyone else in the room gets it, the sender gets the ack.
    socket.on('send', (room, message, ack) => {
      socket.to(room).emit('m', message)
      if (typeof ack === 'function') ack({ ok: true })
    })
  })
  await new Promise((resolve, reject) => {
    http.once('error', reject)
    http.listen(port, '127.0.0.1', resolve)
  })
  return {
    port: http.address().port,
    url: `http://127.0.0.1:${http.address().port}`,
    io,
    close: () =>
      new Promise((resolve) => {
        io.close(() => resolve())
        http.closeAllConnections()
      }),
  }
}

export function startOurServer(options = {}) {
  return createChatServer({
    host: '127.0.0.1',
    port: 0,
    agentToken: AGENT_TOKEN,
    secret: SECRET,
    rateLimits: BENCH_RATE_LIMITS,
    allowedOrigins: '*',
    ...options,
  })
}

// Only when started as the host; importing this file (for startBareServer) starts nothing.
if (process.env.OBROLAN_BENCH_HOST && process.send) {
  const config = JSON.parse(process.env.OBROLAN_BENCH_HOST)
  const bare = config.bare ? await startBareServer() : undefined
  const chat = config.chat ? await startOurServer() : undefined
  let closing
  const close = () => (closing ??= Promise.all([bare?.close(), chat?.close()]))

  const commands = {
    stats({ gc = true } = {}) {
      if (gc && global.gc) {
        global.gc()
        global.gc()
      }
      const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage()
      const { user, system } = process.cpuUsage()
      const connections = (bare?.io.engine.clientsCount ?? 0) + (chat?.io.engine.clientsCount ?? 0)
      return { rss, heapUsed, heapTotal, external, arrayBuffers, cpuUs: user + system, connections }
    },
    /** Appends `n` messages to a room straight into the store, alternating visitor and agent. */
    async prefill({ roomId, n, visitor, textOf = 'default' }) {
      const agent = { id: 'agent', role: 'agent', name: 'Agent' }
      const start = Date.now() - n * 1000
      // Protocol v2: a visitor's conversation exists once created (by its first message).
      await chat.store.openVisitorConversation(visitor, roomId, start)
      for (let i = 0; i < n; i++) {
        await chat.store.appendMessage(
          { roomId, clientId: `prefill-${i}`, author: i % 2 ? agent : visitor, text: sampleText(i, textOf), createdAt: start + i * 1000 },
          `prefill-${roomId}-${i}`,
        )
      }
      return { lastSeq: n }
    },
    async close() {
      await close()
      return {}
    },
  }

  process.once('disconnect', () => void close().then(() => process.exit(0)))
  serveCommands(commands, { bareUrl: bare?.url, chatUrl: chat?.url })
}

const WORDS = 'halo kopi pesanan kiriman sudah sampai belum terima kasih tolong cek nomor resi besok pagi harga ukuran warna'.split(' ')

/** Chat-like text of varying length, a link now and then (the widget autolinks those). */
export function sampleText(i, _kind) {
  const length = 3 + ((i * 7) % 23)
  const words = Array.from({ length }, (_, j) => WORDS[(i * 31 + j * 17) % WORDS.length])
  if (i % 10 === 3) words.push(`https://shop.example.com/order/${i}`)
  return `${words.join(' ')} #${i}`
}
