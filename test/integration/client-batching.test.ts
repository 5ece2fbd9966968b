/**
 * What the client does once per burst rather than once per message: delivery receipts, writes
 * of the outbox to storage, and store updates from the network. Each batch must still carry
 * everything: the last receipt covers the whole burst, the stored outbox holds every message,
 * and the list shows every arrival.
 */
import { describe, expect, it } from 'vitest'
import { memoryStorage, type StorageLike } from '../../src'
import { agentMessage, startFakeServer } from '../support/fake-server'
import { connected, eventually, startClient } from '../support/harness'
import { ManualClock } from '../support/manual-clock'


const receipts = (fake: { received: { event: string; payload: unknown }[] }) =>
  fake.received.filter((r) => r.event === 'mark_delivered').map((r) => (r.payload as { upToSeq: number }).upToSeq)

/** Storage that counts the writes to each key. */
function countingStorage(): StorageLike & { writes: Map<string, number> } {
  const inner = memoryStorage()
  const writes = new Map<string, number>()
  return {
    writes,
    get length() {
      return inner.length
    },
    key: (index) => inner.key!(index),
    getItem: (key) => inner.getItem(key),
    removeItem: (key) => inner.removeItem(key),
    setItem(key, value) {
      writes.set(key, (writes.get(key) ?? 0) + 1)
      inner.setItem(key, value)
    },
  }
}

/** Each client keeps its unsent messages under a key of its own below the outbox prefix. */
const outboxKeys = (storage: StorageLike) =>
  Array.from({ length: storage.length! }, (_, i) => storage.key!(i)!).filter((key) => key.startsWith('obrolan:visitor:outbox:'))

const storedTexts = (storage: StorageLike, key: string) =>
  (JSON.parse(storage.getItem(key)!) as { entries: { text: string }[] }).entries.map((entry) => entry.text)

describe('batching in the client', () => {
  it('reports the first delivery at once and the rest of a burst in one receipt at the end', async () => {
    const fake = await startFakeServer()
    const clock = new ManualClock()
    const client = startClient({ url: fake.url, clock })
    await connected(client)
    const socket = fake.sockets()[0]!

    socket.emit('new_message', agentMessage(1))
    await eventually(() => expect(receipts(fake)).toEqual([1]))
    for (let seq = 2; seq <= 6; seq++) socket.emit('new_message', agentMessage(seq))
    await eventually(() => expect(client.messages.get()).toHaveLength(6))
    // Within the interval: held, not dropped.
    clock.advance(99)
    expect(receipts(fake)).toEqual([1])
    clock.advance(1)
    await eventually(() => expect(receipts(fake)).toEqual([1, 6]))

    // After a lull, the next message is reported at once again.
    clock.advance(500)
    socket.emit('new_message', agentMessage(7))
    await eventually(() => expect(receipts(fake)).toEqual([1, 6, 7]))
  })

  it('writes the outbox once for a burst of sends, with every message in it', async () => {
    const storage = countingStorage()
    const client = startClient({ url: 'http://127.0.0.1:9', storage, autoConnect: false })
    for (let i = 1; i <= 20; i++) client.send(`burst ${i}`)
    await Promise.resolve()
    const [key, ...others] = outboxKeys(storage)
    expect(others).toEqual([])
    expect(storage.writes.get(key!)).toBe(1)
    expect(storedTexts(storage, key!)).toEqual(Array.from({ length: 20 }, (_, i) => `burst ${i + 1}`))
  })

  it('writes the outbox before destroy returns, so a closing page keeps it', () => {
    const storage = countingStorage()
    const client = startClient({ url: 'http://127.0.0.1:9', storage, autoConnect: false })
    client.send('last words')
    client.destroy()
    const [key] = outboxKeys(storage)
    expect(storedTexts(storage, key!)).toEqual(['last words'])
    // Released: another client on this storage may take the message over at once.
    expect(JSON.parse(storage.getItem(key!)!)).toMatchObject({ released: true })
  })

  it('updates the list once for messages that arrive together, and announces each after it is listed', async () => {
    const fake = await startFakeServer()
    const client = startClient({ url: fake.url })
    await connected(client)
    const lengths: number[] = []
    client.messages.listen((list) => lengths.push(list.length))
    const seenInList: boolean[] = []
    client.on('message', (message) => seenInList.push(client.messages.get().includes(message)))

    // One emit call per message, all in one task on the server: they reach the client together.
    const socket = fake.sockets()[0]!
    for (let seq = 1; seq <= 30; seq++) socket.emit('new_message', agentMessage(seq))
    await eventually(() => expect(client.messages.get()).toHaveLength(30))
    expect(seenInList).toEqual(Array.from({ length: 30 }, () => true))
    // Fewer updates than messages; how many depends on how the frames were split into reads.
    expect(lengths.length).toBeLessThan(30)
    expect(lengths.at(-1)).toBe(30)
  })

  it('tells the room the user stopped typing once, with the message', async () => {
    const fake = await startFakeServer()
    const client = startClient({ url: fake.url })
    await connected(client)
    client.setTyping(true)
    client.send('done typing')
    // What a UI might do after sending: nothing more goes out.
    client.setTyping(false)
    await eventually(() => expect(fake.received.map((r) => r.event)).toContain('send_message'))
    const typing = fake.received.filter((r) => r.event === 'typing_indicator').map((r) => (r.payload as { isTyping: boolean }).isTyping)
    expect(typing).toEqual([true, false])
    // The message first: the typing stop does not delay it.
    const events = fake.received.map((r) => r.event)
    expect(events.indexOf('send_message')).toBeLessThan(events.lastIndexOf('typing_indicator'))
  })

  it('shows what the user sent in the list as soon as send returns, to subscribers too', () => {
    const client = startClient({ url: 'http://127.0.0.1:9', autoConnect: false })
    const heard: number[] = []
    client.messages.listen((list) => heard.push(list.length))
    const message = client.send('right away')
    // Heard in the same event handler (a UI renders it at once), as the same object as returned.
    expect(heard).toEqual([1])
    expect(client.messages.get()[0]).toBe(message)
    expect(message.status).toBe('pending')
  })
})
