#!/usr/bin/env node
// Load test for scale-out: redis-server plus K server nodes (child processes running dist/),
// N visitor connections spread over the nodes and one agent per node, then messages at a fixed
// rate for a while. Each visitor's room is followed by an agent on another node, so every message
// crosses Redis. Prints ONE line: connections held, messages sent and fanned out per second,
// delivery latency (send → new_message at the receivers, one clock: all clients live here), and
// the memory of each node.
//
//   npm run build && node bench/load.mjs --connections 1000 --nodes 2 --seconds 10 [--rate 500]
//
// All traffic stays on 127.0.0.1. Needs /usr/bin/redis-server (apt-get install redis-server).
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { io } from 'socket.io-client'

const { values: args } = parseArgs({
  options: {
    connections: { type: 'string', default: '1000' },
    nodes: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '10' },
    rate: { type: 'string', default: '500' },
    batch: { type: 'string', default: '100' },
  },
})
const CONNECTIONS = positive('connections')
const NODES = positive('nodes')
const SECONDS = positive('seconds')
const RATE = positive('rate')
const BATCH = positive('batch')
const AGENT_TOKEN = 'bench-agent'
const here = (file) => fileURLToPath(new URL(file, import.meta.url))

raiseFileLimitOrReexec(CONNECTIONS + 512)

const cleanups = []
process.on('SIGINT', () => void cleanup().then(() => process.exit(130)))
try {
  await main()
} catch (error) {
  console.error(error)
  process.exitCode = 1
} finally {
  await cleanup()
}

async function main() {
  const redis = await startRedis()
  const env = {
    REDIS_URL: redis.url,
    KEY_PREFIX: `bench:${process.pid}:`,
    CHAT_SECRET: 'bench-secret',
    AGENT_TOKEN,
  }
  const nodes = await Promise.all(Array.from({ length: NODES }, () => startNode(env)))

  // Visitors, round robin over the nodes, each joined to its own room.
  const visitors = []
  for (let i = 0; i < CONNECTIONS; i += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, CONNECTIONS - i) }, (_, j) => connectVisitor(nodes[(i + j) % NODES], i + j))
    visitors.push(...(await Promise.all(batch)))
  }

  // One agent per node; room i is followed by the agent on the next node, so it crosses Redis.
  const agents = await Promise.all(nodes.map((node) => connect(node.url, { v: 2, role: 'agent', token: AGENT_TOKEN })))
  for (const [a, agent] of agents.entries()) {
    const mine = visitors.filter((v) => (v.index + 1) % NODES === a)
    for (let i = 0; i < mine.length; i += BATCH) {
      await Promise.all(mine.slice(i, i + BATCH).map((v) => ack(agent.socket, 'join_room', { roomId: v.roomId, limit: 1 })))
    }
  }

  // Measure: every new_message at every receiver, matched to its send time by clientId.
  const sentAt = new Map()
  const latencies = []
  let delivered = 0
  let listUpdates = 0
  let measuring = false
  const onMessage = (message) => {
    const start = sentAt.get(message.clientId)
    if (start === undefined) return
    delivered++
    if (measuring) latencies.push(performance.now() - start)
  }
  for (const client of [...visitors, ...agents]) client.socket.on('new_message', onMessage)
  for (const agent of agents) agent.socket.on('conversation_updated', () => measuring && listUpdates++)

  const held = visitors.filter((v) => v.socket.connected).length + agents.filter((a) => a.socket.connected).length
  let sent = 0
  let refused = 0
  measuring = true
  const started = performance.now()
  await new Promise((resolve) => {
    const tick = setInterval(() => {
      const elapsed = (performance.now() - started) / 1000
      if (elapsed >= SECONDS) {
        clearInterval(tick)
        resolve()
        return
      }
      // Catch up to the schedule: the total sent so far follows rate × time.
      const due = Math.floor(elapsed * RATE) - sent
      for (let k = 0; k < due; k++) {
        const visitor = visitors[sent % visitors.length]
        const clientId = `b${sent}`
        sentAt.set(clientId, performance.now())
        sent++
        visitor.socket.timeout(10_000).emit('send_message', { roomId: visitor.roomId, clientId, text: `bench ${clientId}` }, (err, res) => {
          if (err || !res?.ok) refused++
        })
      }
    }, 5)
  })
  const sendSeconds = (performance.now() - started) / 1000
  // Let the last messages land before counting.
  // One receiver per message: the room's agent, on another node (the sender has the ack).
  const expected = sent
  const deadline = performance.now() + 10_000
  while (delivered < expected && performance.now() < deadline) await sleep(50)
  measuring = false

  const stats = await Promise.all(nodes.map((node) => node.stats()))
  latencies.sort((a, b) => a - b)
  const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] : NaN)
  const mb = (bytes) => Math.round(bytes / 1024 / 1024)
  console.log(
    `load: ${held} connections held (${CONNECTIONS} visitors + ${agents.length} agents on ${NODES} nodes) | ` +
      `${Math.round(sent / sendSeconds)} msg/s sent, ${Math.round(delivered / sendSeconds)} msg/s fanned out ` +
      `(+${Math.round(listUpdates / sendSeconds)} agent list updates/s) | ` +
      `delivery p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms | ` +
      `rss per node ${stats.map((s) => `${mb(s.rss)} MB`).join(', ')} | ` +
      `${expected - delivered} lost, ${refused} refused`,
  )
}

// ---- processes ----

async function startRedis() {
  const binary = '/usr/bin/redis-server'
  try {
    accessSync(binary, constants.X_OK)
  } catch {
    throw new Error(`${binary} not found: apt-get install redis-server`)
  }
  const port = await freePort()
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  })
  cleanups.push(() => stopChild(child))
  const deadline = Date.now() + 5000
  while (!(await answersPing(port))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start on ${port}`)
    await sleep(20)
  }
  return { url: `redis://127.0.0.1:${port}` }
}

async function startNode(env) {
  const child = spawn(process.execPath, [here('./chat-node.mjs')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  cleanups.push(() => stopChild(child))
  const port = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`node exited with ${code}; is dist/ built (npm run build)?`)))
    child.on('message', (m) => m?.type === 'listening' && resolve(m.port))
  })
  return {
    url: `http://127.0.0.1:${port}`,
    stats: () =>
      new Promise((resolve) => {
        const listener = (m) => {
          if (m?.type !== 'stats') return
          child.off('message', listener)
          resolve(m)
        }
        child.on('message', listener)
        child.send({ type: 'stats' })
      }),
  }
}

async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

async function cleanup() {
  while (cleanups.length) await cleanups.pop()()
}

// ---- clients ----

function connect(url, auth) {
  const socket = io(url, { auth, transports: ['websocket'], forceNew: true, reconnection: false, timeout: 20_000 })
  cleanups.push(() => socket.disconnect())
  return new Promise((resolve, reject) => {
    socket.once('session', (session) => resolve({ socket, session }))
    socket.once('connect_error', reject)
  })
}

async function connectVisitor(node, index) {
  const { socket, session } = await connect(node.url, { v: 2, role: 'visitor' })
  const joined = await ack(socket, 'join_room', { roomId: session.roomId, limit: 1 })
  if (!joined.ok) throw new Error(`join failed: ${joined.error.code}`)
  return { socket, roomId: session.roomId, index }
}

function ack(socket, event, payload) {
  return new Promise((resolve, reject) => {
    socket.timeout(20_000).emit(event, payload, (err, res) => (err ? reject(new Error(`no ack for ${event}`)) : resolve(res)))
  })
}

// ---- small things ----

function positive(name) {
  const value = Number(args[name])
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`)
  return value
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

function answersPing(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' })
    const done = (ok) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(500, () => done(false))
    socket.once('error', () => done(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.once('data', (chunk) => done(chunk.toString().startsWith('+PONG')))
  })
}

/**
 * Every connection is a file descriptor here and in a node. When the soft limit is too low, run
 * again under a shell that raises it (up to the hard limit); the nodes inherit it as children.
 */
function raiseFileLimitOrReexec(needed) {
  const soft = Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim())
  if (!Number.isFinite(soft) || soft >= needed) return
  if (process.env.OBROLAN_BENCH_RAISED) {
    console.warn(`warning: open files limit ${soft} is below the ${needed} this run needs`)
    return
  }
  const hard = execFileSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim()
  const target = hard === 'unlimited' ? needed : Math.min(needed, Number(hard))
  const again = spawnSync('sh', ['-c', `ulimit -n ${target} && exec "$0" "$@"`, process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, OBROLAN_BENCH_RAISED: '1' },
  })
  process.exit(again.status ?? 1)
}
