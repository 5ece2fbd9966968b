/**
 * A connected client with pending messages is sending them, whatever refusals, cuts and
 * reconnects came before.
 *
 * - Against the reference server with its default rate limits, through a proxy that keeps cutting
 *   the connection: a visitor's bursts meet `rate_limited` refusals, holds and reconnects; once
 *   the cuts stop, the outbox must drain and never sit still while connected.
 * - As a property (fast-check) against a scripted server: random refusals with random
 *   `retryAfterMs`, internal errors, lost answers, cuts and server-side disconnects, with timers
 *   that fire a little before the clock reads their deadline (as real ones can); the invariant is
 *   checked once the faults stop: everything is sent, once each, in send order.
 *
 * Seeded: FAULT_SEED=<seed> replays a run.
 */
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { createChatClient, memoryStorage, type ChatClient } from '../../src'
import { manualEnvironment } from '../../src/core/util/environment'
import type { Clock } from '../../src/core/util/clock'
import { emptyConversation, startFakeServer } from '../support/fake-server'
import { ChaosProxy, seededRandom } from '../support/chaos-proxy'
import { sleep, until } from '../support/exchange'
import { createChatServer } from '../../src/server'
import type { WireMessage } from '../../src/protocol'

const SEED = Number(process.env.FAULT_SEED ?? Date.now() % 1_000_000)

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

const pending = (client: ChatClient) => client.messages.get().filter((m) => m.status === 'pending').length

/**
 * Waits until nothing is pending, failing as soon as the client sits connected with pending
 * messages and makes no progress for `stillMs`: the outbox is stuck.
 */
async function drained(client: ChatClient, stillMs: number, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = pending(client)
  let lastChange = Date.now()
  while (pending(client) > 0) {
    const now = Date.now()
    const count = pending(client)
    if (count !== last || client.status.get() !== 'connected') {
      last = count
      lastChange = now
    }
    if (now - lastChange > stillMs) throw new Error(`${what}: ${count} messages pending, connected, no progress for ${stillMs} ms`)
    if (now > deadline) throw new Error(`${what}: ${count} messages still pending after ${timeoutMs} ms (${client.status.get()})`)
    await sleep(50)
  }
}

describe('outbox progress', () => {
  it('drains a visitor’s bursts through cuts under the server’s default rate limits', { timeout: 120_000 }, async () => {
    const random = seededRandom(SEED)
    const server = await createChatServer({ port: 0, host: '127.0.0.1', secret: 'progress-secret', agentToken: 'progress-agent' })
    cleanups.push(() => server.close())
    const proxy = new ChaosProxy(server.port)
    await proxy.listen()
    cleanups.push(() => proxy.close())
    // The client's defaults, as a site gets them, on a clock whose timers may fire a millisecond
    // or two before it reads their deadline, as real timers against Date.now() can.
    const visitor = createChatClient({ url: proxy.url, storage: memoryStorage(), environment: manualEnvironment(), clock: earlyTimers(2, random) })
    cleanups.push(() => visitor.destroy())
    await until(() => visitor.status.get() === 'connected', 10_000, `first connection (seed ${SEED})`)

    let chaos = true
    const chaosLoop = (async () => {
      while (chaos) {
        await sleep(150 + random() * 350)
        if (chaos) proxy.cutAll()
      }
    })()
    const sent = Array.from({ length: 150 }, (_, i) => `m${i}`)
    for (let burst = 0; burst < sent.length / 10; burst++) {
      for (let i = 0; i < 10; i++) visitor.send(sent[burst * 10 + i]!)
      await sleep(100 + random() * 300)
    }
    chaos = false
    await chaosLoop
    // A hold lasts at most a few seconds under these limits; sitting longer is being stuck.
    await drained(visitor, 8000, 90_000, `seed ${SEED}, ${proxy.cuts} cuts`)
    expect(visitor.messages.get().map((m) => m.text)).toEqual(sent)
    expect(visitor.messages.get().map((m) => m.seq)).toEqual(sent.map((_, i) => i + 1))
    console.log(`outbox progress under default limits: ${sent.length} messages, seed ${SEED}, ${proxy.cuts} cuts`)
  })

  it('sends every pending message once faults stop, whatever refusals, cuts and reconnects came before', { timeout: 180_000 }, async () => {
    const faultArbitrary = fc.record({
      messages: fc.integer({ min: 5, max: 40 }),
      refuse: fc.double({ min: 0, max: 0.6, noNaN: true }),
      internal: fc.double({ min: 0, max: 0.2, noNaN: true }),
      loseAnswer: fc.double({ min: 0, max: 0.05, noNaN: true }),
      retryAfterMs: fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 8 }),
      cuts: fc.array(fc.record({ atMs: fc.integer({ min: 0, max: 800 }), serverSide: fc.boolean() }), { maxLength: 5 }),
      earlyTimersMs: fc.integer({ min: 1, max: 3 }),
      seed: fc.integer(),
    })
    await fc.assert(fc.asyncProperty(faultArbitrary, runFaults), { numRuns: 10, seed: SEED, endOnFailure: true })
  })
})

interface Faults {
  messages: number
  refuse: number
  internal: number
  loseAnswer: number
  retryAfterMs: number[]
  cuts: { atMs: number; serverSide: boolean }[]
  earlyTimersMs: number
  seed: number
}

/** The system clock, but timers fire up to `earlyMs` before `now()` reaches their deadline. */
function earlyTimers(earlyMs: number, random: () => number): Clock {
  return {
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, Math.max(0, ms - Math.round(random() * earlyMs))),
    clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
    random: () => Math.random(),
  }
}

async function runFaults(faults: Faults): Promise<void> {
  const random = seededRandom(faults.seed)
  const fake = await startFakeServer()
  const stored: WireMessage[] = []
  let faulty = true
  /** As the reference server: after a refusal, later sends wait until the refused one comes back. */
  let waitingFor: string | undefined
  fake.handlers.join_room = (payload, ack) => {
    const { afterSeq } = payload as { afterSeq?: number }
    const messages = stored.filter((m) => m.seq > (afterSeq ?? 0))
    ack?.({ ok: true, conversation: { ...emptyConversation('room-1'), lastSeq: stored.length }, messages, hasMore: false, hasOlder: false })
  }
  fake.handlers.get_history = (payload, ack) => {
    const { afterSeq } = payload as { afterSeq?: number }
    ack?.({ ok: true, messages: stored.filter((m) => m.seq > (afterSeq ?? 0)), hasMore: false })
  }
  fake.handlers.send_message = (payload, ack) => {
    const { clientId, text, roomId } = payload as { clientId: string; text: string; roomId: string }
    if (waitingFor !== undefined && waitingFor !== clientId) {
      return ack?.({ ok: false, error: { code: 'rate_limited', message: `waiting for ${waitingFor}`, retryAfterMs: 0 } })
    }
    waitingFor = undefined
    const roll = random()
    if (faulty && roll < faults.refuse) {
      waitingFor = clientId
      const retryAfterMs = faults.retryAfterMs[Math.floor(random() * faults.retryAfterMs.length)]
      return ack?.({ ok: false, error: { code: 'rate_limited', message: 'too many', retryAfterMs } })
    }
    if (faulty && roll < faults.refuse + faults.internal) {
      waitingFor = clientId
      return ack?.({ ok: false, error: { code: 'internal', message: 'store hiccup' } })
    }
    const held = stored.find((m) => m.clientId === clientId)
    const message = held ?? {
      id: `m${stored.length + 1}`,
      clientId,
      roomId,
      seq: stored.length + 1,
      author: { id: 'v1', role: 'visitor' as const },
      text,
      createdAt: Date.now(),
    }
    if (!held) stored.push(message)
    // Stored, but the answer is lost on the way (the client times out and sends it again).
    if (faulty && random() < faults.loseAnswer) return
    ack?.({ ok: true, message })
  }
  // Each connection starts with an open gate, as the reference server's are per connection.
  fake.io.on('connection', () => (waitingFor = undefined))

  const client = createChatClient({
    url: fake.url,
    storage: memoryStorage(),
    environment: manualEnvironment(),
    clock: earlyTimers(faults.earlyTimersMs, random),
    backoff: { minMs: 10, maxMs: 100 },
    ackTimeoutMs: 400,
    socket: { transports: ['websocket'] },
  })
  try {
    await until(() => client.status.get() === 'connected', 5000, 'first connection')
    const texts = Array.from({ length: faults.messages }, (_, i) => `p${i}`)
    const cutting = Promise.all(
      faults.cuts.map(async ({ atMs, serverSide }) => {
        await sleep(atMs)
        for (const socket of fake.sockets()) serverSide ? socket.disconnect(true) : socket.conn.close()
      }),
    )
    for (const text of texts) {
      client.send(text)
      if (random() < 0.3) await sleep(random() * 40)
    }
    await cutting
    await sleep(200)
    faulty = false
    await until(() => client.status.get() === 'connected', 5000, 'connected after the faults')
    await drained(client, 2000, 20_000, `faults ${JSON.stringify(faults)}`)
    expect(stored.map((m) => m.text)).toEqual(texts)
    expect(client.messages.get().map((m) => m.text)).toEqual(texts)
  } finally {
    client.destroy()
    await fake.close()
  }
}
