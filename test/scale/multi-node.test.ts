/**
 * Scale-out under fire: redis-server, three server nodes as real processes behind a round-robin
 * TCP balancer, a visitor pinned to node A and an agent to node B. While they exchange 1,000
 * messages node A is killed with SIGKILL; the visitor reconnects through the balancer to a
 * survivor. Both sides must end with every message exactly once, in send order, and presence must
 * show both users once, with the dead node's sockets swept from Redis.
 *
 * The nodes run the TypeScript source, bundled by esbuild (already a dev dependency) into
 * node_modules/.cache, so this test never runs a stale build.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { Redis } from 'ioredis'
import { io, type Socket } from 'socket.io-client'
import { afterEach, describe, expect, it } from 'vitest'
import { createChatClient, memoryStorage, type ChatClient, type ChatClientOptions } from '../../src'
import { manualEnvironment } from '../../src/core/util/environment'
import type { Presence, WireMessage } from '../../src/protocol'
import { RedisStore } from '../../src/server/redis-store'
import { startRedisServer } from '../support/redis-server'
import { RoundRobinBalancer } from './round-robin-balancer'
import { expectExactlyOnceInOrder, ownDelivered, sleep, until } from '../support/exchange'

const root = fileURLToPath(new URL('../..', import.meta.url))
const PER_SIDE = 500
const TOTAL = PER_SIDE * 2
const KILL_AFTER = 200
const AGENT_TOKEN = 'scale-agent'
const NODE_HEARTBEAT_MS = 200
const NODE_TTL_MS = 1_000
const allSeqs = Array.from({ length: TOTAL }, (_, i) => i + 1)


const cleanups: (() => unknown)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

/** The node entry, built from source into one file whose imports resolve from node_modules. */
async function bundleNode(): Promise<string> {
  const outfile = `${root}node_modules/.cache/obrolan-scale/chat-node-${process.pid}.mjs`
  await build({
    entryPoints: [`${root}test/scale/chat-node.ts`],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  })
  cleanups.push(() => rm(outfile, { force: true }))
  return outfile
}

interface NodeProcess {
  child: ChildProcess
  url: string
  port: number
  /** Sockets connected to this node, from its /health. */
  connections(): Promise<number>
}

async function startNode(bundle: string, env: Record<string, string>): Promise<NodeProcess> {
  const child = spawn(process.execPath, [bundle], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  cleanups.push(() => stopProcess(child))
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('node did not start within 10 s')), 10_000)
    child.once('exit', (code) => reject(new Error(`node exited with ${code} before listening`)))
    child.on('message', (message: { type?: string; port?: number }) => {
      if (message.type !== 'listening' || typeof message.port !== 'number') return
      clearTimeout(timer)
      resolve(message.port)
    })
  })
  const url = `http://127.0.0.1:${port}`
  return {
    child,
    url,
    port,
    async connections() {
      const res = await fetch(`${url}/health`)
      return ((await res.json()) as { data: { connections: number } }).data.connections
    },
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000)
  await exited
  clearTimeout(timer)
}

function makeClient(url: string, options: Partial<ChatClientOptions> = {}): ChatClient {
  const client = createChatClient({
    url,
    storage: memoryStorage(),
    environment: manualEnvironment(),
    backoff: { minMs: 20, maxMs: 300 },
    ackTimeoutMs: 3000,
    socket: { transports: ['websocket'] },
    ...options,
  })
  cleanups.push(() => client.destroy())
  return client
}

/**
 * A raw agent socket on one node, joined to the room, that never reconnects: what it records is
 * what that node delivered live, which tells a server-side loss from a client that did not catch
 * up when a run fails. It may lack a message legitimately: one whose node acked it and died before
 * its broadcast left; clients get those by seq.
 */
async function witness(node: NodeProcess, roomId: string): Promise<Set<number>> {
  const socket: Socket = io(node.url, { auth: { v: 2, role: 'agent', token: AGENT_TOKEN }, transports: ['websocket'], forceNew: true, reconnection: false })
  cleanups.push(() => socket.disconnect())
  const seen = new Set<number>()
  socket.on('new_message', (message: WireMessage) => seen.add(message.seq))
  await new Promise((resolve) => socket.once('session', resolve))
  await new Promise((resolve) => socket.emit('join_room', { roomId }, resolve))
  return seen
}

const bothPresent = (presence: Presence | undefined) => presence?.totalVisitor === 1 && presence.totalAgent === 1

/** On a timeout: counts, statuses and holes of one side. */
function describeSide(name: string, client: ChatClient): string {
  const list = client.messages.get()
  const seqs = new Set(list.map((m) => m.seq))
  const holes = allSeqs.filter((seq) => !seqs.has(seq))
  const statuses: Record<string, number> = {}
  for (const m of list) statuses[m.status] = (statuses[m.status] ?? 0) + 1
  return `${name}: ${list.length} messages, ${client.status.get()}, ${JSON.stringify(statuses)}, missing seqs ${holes.slice(0, 12).join(',')}`
}

describe('three nodes on one Redis', () => {
  it(`keeps a ${TOTAL}-message conversation whole while the visitor's node is killed`, { timeout: 55_000 }, async () => {
    const started = Date.now()
    const redis = await startRedisServer()
    cleanups.push(() => redis.stop())
    const inspector = new Redis(redis.url)
    cleanups.push(() => inspector.quit())
    const keyPrefix = `scale:${randomUUID()}:`
    const env = {
      REDIS_URL: redis.url,
      KEY_PREFIX: keyPrefix,
      CHAT_SECRET: 'scale-secret',
      AGENT_TOKEN,
      NODE_HEARTBEAT_MS: String(NODE_HEARTBEAT_MS),
      NODE_TTL_MS: String(NODE_TTL_MS),
    }
    const bundle = await bundleNode()
    const [a, b, c] = await Promise.all([startNode(bundle, env), startNode(bundle, env), startNode(bundle, env)])
    if (!a || !b || !c) throw new Error('nodes did not start')
    const balancer = new RoundRobinBalancer([a.port, b.port, c.port])
    await balancer.listen()
    cleanups.push(() => balancer.close())

    // Round robin: the first connection goes to A, the second to B.
    const visitor = makeClient(balancer.url)
    await until(() => visitor.status.get() === 'connected', 5000, 'the visitor to connect')
    const agent = makeClient(balancer.url, { role: 'agent', token: AGENT_TOKEN })
    await until(() => agent.status.get() === 'connected', 5000, 'the agent to connect')
    expect(await Promise.all([a.connections(), b.connections(), c.connections()])).toEqual([1, 1, 0])
    const roomId = visitor.conversation.get()?.roomId
    if (!roomId) throw new Error('visitor has no conversation')
    // As the visitor's first message would, so that the agent can open it before anyone writes.
    await new RedisStore(inspector, { keyPrefix }).openVisitorConversation(visitor.user.get()!, roomId, Date.now())
    await agent.openConversation(roomId)
    const witnessed = { B: await witness(b, roomId), C: await witness(c, roomId) }

    let reconnects = 0
    const drops: string[] = []
    for (const [who, client] of [['visitor', visitor], ['agent', agent]] as const) {
      client.on('status', ({ prev, next, reason }) => {
        if (next === 'connected' && prev === 'reconnecting') reconnects++
        if (next === 'reconnecting' && prev === 'connected') drops.push(`${who} ${reason}`)
      })
    }

    const exchangeStarted = Date.now()
    let killedAt = 0
    const visitorTexts = Array.from({ length: PER_SIDE }, (_, i) => `v${i}`)
    const agentTexts = Array.from({ length: PER_SIDE }, (_, i) => `a${i}`)
    for (let i = 0; i < PER_SIDE; i++) {
      visitor.send(visitorTexts[i] as string)
      agent.send(agentTexts[i] as string)
      if (i === KILL_AFTER) {
        a.child.kill('SIGKILL')
        killedAt = Date.now() - exchangeStarted
      }
      await sleep(Math.random() * 8)
    }
    const sendsMs = Date.now() - exchangeStarted

    const settled = (client: ChatClient) => {
      const list = client.messages.get()
      return list.length === TOTAL && list.every((m) => m.seq !== undefined)
    }
    await until(() => settled(visitor) && settled(agent), 30_000, 'every message on both sides').catch((error: Error) => {
      const lacks = (seen: Set<number>) => allSeqs.filter((seq) => !seen.has(seq)).slice(0, 12).join(',') || 'nothing'
      throw new Error(
        `${error.message}\n${describeSide('visitor', visitor)}\n${describeSide('agent', agent)}\n` +
          `drops: ${drops.join('; ')}\nwitness on B lacks ${lacks(witnessed.B)}; on C lacks ${lacks(witnessed.C)}`,
      )
    })
    await until(() => ownDelivered(visitor) && ownDelivered(agent), 10_000, 'delivered ticks')
    const exchangeMs = Date.now() - exchangeStarted

    expectExactlyOnceInOrder(visitor, agent, visitorTexts, agentTexts)
    expect(reconnects).toBeGreaterThanOrEqual(1)
    // The visitor came back through the balancer to a survivor (plus one witness on each).
    expect((await b.connections()) + (await c.connections())).toBe(4)

    // Presence: A's sockets swept and A forgotten; both users present exactly once, everywhere.
    const sockets = `${keyPrefix}session:${roomId}:sockets`
    await until(async () => (await inspector.scard(`${keyPrefix}nodes`)) === 2, 10_000, 'the sweep of node A')
    const sweptAt = Date.now() - exchangeStarted
    const holders = Object.values(await inspector.hgetall(sockets))
    expect(holders.filter((id) => id === visitor.user.get()?.id)).toHaveLength(1)
    expect(holders.filter((id) => id === agent.user.get()?.id)).toHaveLength(3) // the agent and the two witnesses
    for (const node of [b, c]) {
      const res = await fetch(`${node.url}/api/session/${roomId}/connection-status`)
      expect(((await res.json()) as { data: unknown }).data).toMatchObject({ totalCustomer: 1, totalAgent: 1 })
    }
    await until(() => bothPresent(visitor.presence.get()) && bothPresent(agent.presence.get()), 5000, 'presence on both clients')

    console.log(
      `multi-node: ${TOTAL} messages over 3 nodes, node A SIGKILLed at ${killedAt} ms, ${reconnects} reconnect(s) ` +
        `[${drops.join('; ')}], sends done at ${sendsMs} ms, all delivered at ${exchangeMs} ms, ` +
        `A swept by ${sweptAt} ms, total ${Date.now() - started} ms`,
    )
  })
})
