/**
 * The promise of the whole SDK under fire: a visitor and an agent exchange hundreds of messages
 * through a proxy that keeps cutting every connection, and through one server restart. Both sides
 * must end with every message exactly once, in send order, and the sender's copies delivered.
 * Seeded: a failure prints the seed; FAULT_SEED=<seed> replays the same cut schedule.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createChatClient, memoryStorage, type ChatClient, type ChatClientOptions } from '../../src'
import { manualEnvironment } from '../../src/core/util/environment'
import { createChatServer, createMemoryStore, type ChatServer } from '../../src/server'
import { ChaosProxy, seededRandom } from '../support/chaos-proxy'
import { expectExactlyOnceInOrder, ownDelivered, sleep, until } from '../support/exchange'

const AGENT_TOKEN = 'fault-agent'
const SECRET = 'fault-secret'
const PER_SIDE = Number(process.env.FAULT_MESSAGES_PER_SIDE ?? 300)
const SEED = Number(process.env.FAULT_SEED ?? Date.now() % 1_000_000)

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

/** Waits like `until`, naming the seed in the error so a failure can be replayed. */
const untilSeeded = (condition: () => boolean, timeoutMs: number, what: string) => until(condition, timeoutMs, `${what} (seed ${SEED})`)

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
    await untilSeeded(() => visitor.status.get() === 'connected' && agent.status.get() === 'connected', 5000, 'first connection')
    const roomId = visitor.conversation.get()!.roomId
    // As the visitor's first message would, so that the agent can open it before anyone writes.
    await store.openVisitorConversation(visitor.user.get()!, roomId, Date.now())
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
    await untilSeeded(() => settled(visitor) && settled(agent), 120_000, 'all messages on both sides')
    chaos = false
    await chaosLoop
    await untilSeeded(() => ownDelivered(visitor) && ownDelivered(agent), 20_000, 'delivered ticks')
    const elapsed = Date.now() - started

    expectExactlyOnceInOrder(visitor, agent, visitorTexts, agentTexts)
    expect(restarted).toBe(true)
    expect(proxy.cuts).toBeGreaterThan(3)
    expect(reconnects).toBeGreaterThan(3)

    console.log(
      `fault exchange (${label}): ${total} messages, seed ${SEED}, ${proxy.cuts} cuts, 1 server restart, ` +
        `${reconnects} reconnects, ${proxy.connectionsSeen} TCP connections, ${elapsed} ms`,
    )
  })
})
