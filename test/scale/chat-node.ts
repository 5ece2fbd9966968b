/**
 * One server node as its own process, for the multi-node test: configured by environment, reports
 * its port over IPC, closes cleanly on SIGTERM (a SIGKILL is the crash being tested).
 */
import { createChatServer } from '../../src/server'

const env = (name: string): string => {
  const value = process.env[name]
  if (value === undefined) throw new Error(`${name} is not set`)
  return value
}

const UNLIMITED = { perSecond: 1e6, burst: 1e6 }

const server = await createChatServer({
  host: '127.0.0.1',
  port: 0,
  secret: env('CHAT_SECRET'),
  agentToken: env('AGENT_TOKEN'),
  heartbeatMs: 2_000,
  rateLimits: { message: UNLIMITED, typing: UNLIMITED, room: UNLIMITED, receipt: UNLIMITED },
  redis: {
    url: env('REDIS_URL'),
    keyPrefix: env('KEY_PREFIX'),
    nodeHeartbeatMs: Number(env('NODE_HEARTBEAT_MS')),
    nodeTtlMs: Number(env('NODE_TTL_MS')),
  },
})
process.send?.({ type: 'listening', port: server.port })

process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0))
})
process.on('disconnect', () => void server.close().then(() => process.exit(0)))
