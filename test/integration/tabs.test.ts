/**
 * Tabs of one visitor: clients on one storage, each with its own unsent messages. Every tab's
 * unsent messages survive any other tab's writes and its own closing (another tab sends them),
 * and no message goes out from two tabs. The server counts every `send_message` it receives.
 */
import { describe, expect, it } from 'vitest'
import { memoryStorage, type ChatClient } from '../../src'
import { HEARTBEAT_MS, SETTLE_MS, STALE_MS } from '../../src/core/outbox/persistence'
import { manualEnvironment } from '../../src/core/util/environment'
import type { ChatServer } from '../../src/server'
import { connected, eventually, startClient, startServer, texts } from '../support/harness'
import { ManualClock } from '../support/manual-clock'

/** How many times the server received a `send_message` for each text. */
function countSends(server: ChatServer): Map<string, number> {
  const sends = new Map<string, number>()
  server.io.on('connection', (socket) =>
    socket.onAny((event: string, payload: { text?: string }) => {
      if (event === 'send_message' && payload?.text) sends.set(payload.text, (sends.get(payload.text) ?? 0) + 1)
    }),
  )
  return sends
}

/** Every unsent message in storage, whichever client wrote it. */
function storedTexts(storage: ReturnType<typeof memoryStorage>): string[] {
  const found: string[] = []
  for (let i = 0; i < storage.length!; i++) {
    const key = storage.key!(i)!
    if (!key.startsWith('obrolan:visitor:outbox')) continue
    const value = JSON.parse(storage.getItem(key)!) as { text: string }[] | { entries: { text: string }[] }
    for (const entry of Array.isArray(value) ? value : value.entries) found.push(entry.text)
  }
  return found
}

const allSent = (client: ChatClient, count: number) => {
  const list = client.messages.get()
  expect(list.filter((m) => m.status !== 'pending' && m.status !== 'failed')).toHaveLength(count)
  expect(list).toHaveLength(count)
}

describe('tabs sharing one storage', () => {
  it('sends the messages a tab queued offline after it closed, from the tab still open, once each', async () => {
    const server = await startServer()
    const sends = countSends(server)
    const storage = memoryStorage()
    const tabA = manualEnvironment()
    const tabC = manualEnvironment()
    const a = startClient({ url: server.url, storage, environment: tabA })
    await connected(a)
    // Opened after A: the same visitor, from the credentials A stored.
    const c = startClient({ url: server.url, storage, environment: tabC })
    await connected(c)
    tabA.setOnline(false)
    const queued = Array.from({ length: 10 }, (_, i) => `from A ${i}`)
    for (const text of queued) a.send(text)
    // C is online: it sends and gets answers, writing its own outbox all along.
    for (let i = 0; i < 5; i++) c.send(`from C ${i}`)
    await eventually(() => allSent(c, 5))
    c.send('from C 5')
    await eventually(() => allSent(c, 6))
    // C's writes have kept A's messages in storage.
    expect(storedTexts(storage).filter((text) => text.startsWith('from A'))).toEqual(queued)
    // A closes before it is back online; the visitor returns to tab C.
    tabA.leave()
    a.destroy()
    tabC.becomeVisible()

    await eventually(() => allSent(c, 16))
    expect(texts(c)).toEqual([...Array.from({ length: 6 }, (_, i) => `from C ${i}`), ...queued])
    for (const text of [...queued, 'from C 0']) expect(sends.get(text)).toBe(1)
  })

  it('leaves a live tab’s unsent messages to that tab: a tab opened meanwhile does not send them too', async () => {
    const server = await startServer()
    const sends = countSends(server)
    const storage = memoryStorage()
    const tabA = manualEnvironment()
    const a = startClient({ url: server.url, storage, environment: tabA })
    await connected(a)
    tabA.setOnline(false)
    a.send('only A sends this')
    a.send('and this')
    await Promise.resolve()

    const b = startClient({ url: server.url, storage })
    await connected(b)
    b.send('B’s own')
    await eventually(() => allSent(b, 1))
    tabA.setOnline(true)
    const fromA = () => a.messages.get().filter((m) => m.text === 'only A sends this' || m.text === 'and this')
    await eventually(() => expect(fromA().map((m) => m.status)).toEqual(['sent', 'sent']))
    await eventually(() => expect(texts(b)).toContain('and this'))
    expect(sends.get('only A sends this')).toBe(1)
    expect(sends.get('and this')).toBe(1)
    expect(sends.get('B’s own')).toBe(1)
  })

  it('takes over the messages of a tab that went silent without closing, once it has been silent long enough', async () => {
    const server = await startServer()
    const sends = countSends(server)
    const storage = memoryStorage()
    // A's page freezes (a discarded or suspended tab): its clock stops, it never says goodbye.
    const frozenClock = new ManualClock()
    const clock = new ManualClock()
    // Ids (of records and messages) come from the clock's randomness: keep the two tabs' apart.
    frozenClock.randomValue = 0.25
    // Long heartbeat grace: this test moves C's clock by minutes, faster than any server heartbeat.
    const options = { url: server.url, storage, heartbeatGraceMs: 3_600_000 }
    const tabA = manualEnvironment()
    const a = startClient({ ...options, clock: frozenClock, environment: tabA })
    await connected(a)
    const c = startClient({ ...options, clock })
    await connected(c)
    tabA.setOnline(false)
    a.send('from a frozen tab')
    await Promise.resolve()
    // C looks every heartbeat, and leaves the record alone while A may still be alive.
    while (clock.now() - frozenClock.now() <= STALE_MS) {
      clock.advance(HEARTBEAT_MS)
      clock.advance(SETTLE_MS)
      await Promise.resolve()
      expect(sends.get('from a frozen tab')).toBeUndefined()
    }
    clock.advance(HEARTBEAT_MS)
    clock.advance(SETTLE_MS)
    await eventually(() => allSent(c, 1))
    expect(texts(c)).toEqual(['from a frozen tab'])
    expect(sends.get('from a frozen tab')).toBe(1)
  })
})
