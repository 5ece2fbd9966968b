/**
 * The promise of the whole SDK under fire: a visitor and an agent exchange hundreds of messages
 * through a proxy that keeps cutting every connection, and through one server restart. Both sides
 * must end with every message exactly once, in send order, and the sender's copies delivered.
 * Seeded: a failure prints the seed; FAULT_SEED=<seed> replays the same cut schedule.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createChatClient, manualEnvironment, memoryStorage, type ChatClient, type ChatClientOptions } from '../../src'
import { createChatServer, createMemoryStore, type ChatServer } from '../../src/server'
import { ChaosProxy, seededRandom } from '../support/chaos-proxy'

const AGENT_TOKEN = 'fault-agent'
const SECRET = 'fault-secret'
const PER_SIDE = Number(process.env.FAULT_MESSAGES_PER_SIDE ?? 300)
const SEED = Number(process.env.FAULT_SEED ?? Date.now() % 1_000_000)

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function makeClient(url: string, options: Partial<ChatClientOptions> = {}): ChatClient {
  return createChatClient({
    url,
    storage: memoryStorage(),
    environment: manualEnvironment(),
    backoff: { minMs: 20, maxMs: 400 },
    ackTimeoutMs: 3000,
    ...options,
  })
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (seed ${SEED})`)
    await sleep(20)
  }
}

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

const TRANSPORTS = {
  websocket: ['websocket'],
  'long-polling, then upgrade': ['polling', 'websocket'],
} as const

describe.each(Object.entries(TRANSPORTS))('fault injection over %s', (label, transports) => {
  it(`exchanges ${PER_SIDE * 2} messages through random connection cuts and a server restart`, { timeout: 180_000 }, async () => {
    const random = seededRandom(SEED)
    const store = createMemoryStore()
    let server: ChatServer = await createChatServer({ host: '127.0.0.1', store, secret: SECRET, agentToken: AGENT_TOKEN })
    const port = server.port
    cleanups.push(() => server.close())
    const proxy = new ChaosProxy(port)
    await proxy.listen()
    cleanups.push(() => proxy.close())

    const socket = { transports: [...transports] }
    const visitor = makeClient(proxy.url, { socket })
    const agent = makeClient(proxy.url, { role: 'agent', token: AGENT_TOKEN, socket })
    cleanups.push(() => visitor.destroy(), () => agent.destroy())
    let reconnects = 0
    for (const c of [visitor, agent]) {
      c.on('status', ({ prev, next }) => {
        if (next === 'connected' && prev === 'reconnecting') reconnects++
      })
    }
    await until(() => visitor.status.get() === 'connected' && agent.status.get() === 'connected', 5000, 'first connection')
    const roomId = visitor.conversation.get()!.roomId
    await agent.openConversation(roomId)

    const started = Date.now()
    let chaos = true
    let restarted = false
    const chaosLoop = (async () => {
      while (chaos) {
        await sleep(40 + random() * 260)
        if (!chaos) break
        proxy.cutAll()
        if (!restarted && Date.now() - started > 1500) {
          restarted = true
          await server.close()
          await sleep(100)
          server = await createChatServer({ host: '127.0.0.1', port, store, secret: SECRET, agentToken: AGENT_TOKEN })
        }
      }
    })()

    const visitorTexts = Array.from({ length: PER_SIDE }, (_, i) => `v${i}`)
    const agentTexts = Array.from({ length: PER_SIDE }, (_, i) => `a${i}`)
    for (let i = 0; i < PER_SIDE; i++) {
      visitor.send(visitorTexts[i]!)
      agent.send(agentTexts[i]!)
      // Spread the sends over a few seconds so that cuts and the restart land mid-exchange.
      await sleep(random() * 20)
    }

    const total = PER_SIDE * 2
    const settled = (c: ChatClient) => {
      const list = c.messages.get()
      return list.length === total && list.every((m) => m.seq !== undefined)
    }
    await until(() => settled(visitor) && settled(agent), 120_000, 'all messages on both sides')
    chaos = false
    await chaosLoop
    await until(
      () =>
        visitor.messages.get().every((m) => !m.own || m.status === 'delivered' || m.status === 'read') &&
        agent.messages.get().every((m) => !m.own || m.status === 'delivered' || m.status === 'read'),
      20_000,
      'delivered ticks',
    )
    const elapsed = Date.now() - started

    for (const side of [visitor, agent]) {
      const list = side.messages.get()
      // Exactly once: as many messages as were sent, no id or clientId twice.
      expect(new Set(list.map((m) => m.id)).size).toBe(total)
      expect(new Set(list.map((m) => m.clientId)).size).toBe(total)
      // In server order without holes.
      expect(list.map((m) => m.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1))
      // Each sender's messages in the order they were sent.
      expect(list.filter((m) => m.author.role === 'visitor').map((m) => m.text)).toEqual(visitorTexts)
      expect(list.filter((m) => m.author.role === 'agent').map((m) => m.text)).toEqual(agentTexts)
    }
    // Both sides see the same timeline.
    expect(agent.messages.get().map((m) => m.id)).toEqual(visitor.messages.get().map((m) => m.id))
    expect(restarted).toBe(true)
    expect(proxy.cuts).toBeGreaterThan(3)
    expect(reconnects).toBeGreaterThan(3)

    console.log(
      `fault exchange (${label}): ${total} messages, seed ${SEED}, ${proxy.cuts} cuts, 1 server restart, ` +
        `${reconnects} reconnects, ${proxy.connectionsSeen} TCP connections, ${elapsed} ms`,
    )
  })
})
