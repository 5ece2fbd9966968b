/**
 * One server node as its own process, for the crash tests: configured by environment (DATABASE,
 * optional REDIS_URL and KEY_PREFIX, CHAT_SECRET, AGENT_TOKEN, PORT), reports its port over IPC,
 * closes cleanly on SIGTERM. A SIGKILL is the crash being tested.
 */
import { createChatServer } from '../../src/server'

const env = (name: string): string => {
  const value = process.env[name]
  if (value === undefined) throw new Error(`${name} is not set`)
  return value
}

// The exchange sends hundreds of messages in seconds; the crash, not the limits, is under test.
const UNLIMITED = { perSecond: 1e6, burst: 1e6 }

const server = await createChatServer({
  host: '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
  database: env('DATABASE'),
  ...(process.env.REDIS_URL && { redis: { url: process.env.REDIS_URL, keyPrefix: env('KEY_PREFIX'), nodeHeartbeatMs: 200, nodeTtlMs: 1_000 } }),
  secret: env('CHAT_SECRET'),
  agentToken: env('AGENT_TOKEN'),
  heartbeatMs: 2_000,
  rateLimits: { message: UNLIMITED, typing: UNLIMITED, room: UNLIMITED, receipt: UNLIMITED },
})
process.send?.({ type: 'listening', port: server.port })

process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0))
})
process.on('disconnect', () => void server.close().then(() => process.exit(0)))
