// One server node of the load test, as its own process, running the built package (dist/).
// Configured by environment; reports its port and, when asked, its memory over IPC.
import { createChatServer } from '../dist/server.js'

const UNLIMITED = { perSecond: 1e9, burst: 1e9 }

const server = await createChatServer({
  host: '127.0.0.1',
  port: 0,
  secret: process.env.CHAT_SECRET,
  agentToken: process.env.AGENT_TOKEN,
  // Agents join thousands of rooms at start; the limits protect real servers, not this one.
  rateLimits: { message: UNLIMITED, typing: UNLIMITED, room: UNLIMITED, receipt: UNLIMITED, newVisitor: UNLIMITED },
  redis: { url: process.env.REDIS_URL, keyPrefix: process.env.KEY_PREFIX },
})

process.send({ type: 'listening', port: server.port })
process.on('message', (message) => {
  if (message?.type === 'stats') {
    const { rss, heapUsed } = process.memoryUsage()
    process.send({ type: 'stats', rss, heapUsed, connections: server.io.of('/').sockets.size })
  }
})
const stop = () => void server.close().then(() => process.exit(0))
process.once('SIGTERM', stop)
process.once('disconnect', stop)
