/**
 * The hand-over of unsent messages between clients on one storage, step by step on a hand-driven
 * clock: a record is held by one client at a time, and never absent from storage while unsent.
 */
import { atom } from 'nanostores'
import { afterEach, describe, expect, it } from 'vitest'
import type { Outbox, OutboxEntry } from '../../src/core/outbox/outbox'
import { OutboxPersistence, SETTLE_MS, STALE_MS } from '../../src/core/outbox/persistence'
import { hasStoredOutbox } from '../../src/core/outbox/stored'
import { memoryStorage, type StorageLike } from '../../src/core/util/storage'
import { ManualClock } from '../support/manual-clock'

const PREFIX = 'obrolan:visitor:outbox'
const entry = (clientId: string): OutboxEntry => ({ clientId, text: clientId, createdAt: 1, state: 'pending', roomId: 'r' })

const tabs: OutboxPersistence[] = []
afterEach(() => tabs.splice(0).forEach((tab) => tab.dispose()))

let ids = 0
/** A client's storage side, with its outbox as a plain store. */
function tab(storage: StorageLike, clock: ManualClock, entries: OutboxEntry[] = []) {
  const outbox = atom<Outbox>(entries)
  // Record keys come from the clock's randomness: each tab gets its own.
  clock.randomValue = (++ids % 30) / 31
  const persistence = new OutboxPersistence({
    storage,
    prefix: PREFIX,
    clock,
    outbox,
    adopt: (more) => outbox.set([...outbox.get(), ...more]),
    release: (clientIds) => outbox.set(outbox.get().filter((e) => !clientIds.has(e.clientId))),
    canSend: () => true,
    reportError: (error) => {
      throw error
    },
  })
  tabs.push(persistence)
  persistence.wake()
  return { outbox, persistence, held: () => outbox.get().map((e) => e.clientId) }
}

const storedKeys = (storage: StorageLike) => Array.from({ length: storage.length! }, (_, i) => storage.key!(i)!)

/** Every clientId in storage, by record. */
function stored(storage: StorageLike): string[][] {
  const records: string[][] = []
  for (let i = 0; i < storage.length!; i++) {
    const value = JSON.parse(storage.getItem(storage.key!(i)!)!) as { entries: OutboxEntry[] }
    records.push(value.entries.map((e) => e.clientId))
  }
  return records
}

describe('outbox records shared by clients', () => {
  it('hands a closed client’s entries to one client only, after the claim settles', () => {
    const storage = memoryStorage()
    const clock = new ManualClock()
    const closing = tab(storage, clock, [entry('a1'), entry('a2')])
    const b = tab(storage, clock)
    const c = tab(storage, clock)
    closing.persistence.dispose()
    expect(hasStoredOutbox(storage, PREFIX)).toBe(true)
    b.persistence.wake()
    c.persistence.wake()
    clock.advance(SETTLE_MS)
    expect([b.held(), c.held()].sort()).toEqual([[], ['a1', 'a2']])
    expect(stored(storage)).toEqual([['a1', 'a2']])
  })

  it('lets a client that was only slow keep its entries against a fresh claim', () => {
    const storage = memoryStorage()
    // A's timers stall (a throttled background tab) while B's run on.
    const aClock = new ManualClock()
    const bClock = new ManualClock()
    const a = tab(storage, aClock, [entry('a1')])
    const b = tab(storage, bClock)
    bClock.advance(STALE_MS + 1)
    b.persistence.wake()
    expect(JSON.parse(storage.getItem(storedKeys(storage)[0]!)!)).toHaveProperty('claim')
    // A's timers run again before the claim settles: its heartbeat overwrites the claim.
    aClock.advance(STALE_MS + 1)
    bClock.advance(SETTLE_MS)
    expect(a.held()).toEqual(['a1'])
    expect(b.held()).toEqual([])
    expect(stored(storage)).toEqual([['a1']])
  })

  it('makes a client that wakes after a takeover give up what was taken, keeping what it wrote since', async () => {
    const storage = memoryStorage()
    const aClock = new ManualClock()
    const bClock = new ManualClock()
    const a = tab(storage, aClock, [entry('a1')])
    const b = tab(storage, bClock)
    bClock.advance(STALE_MS + 1)
    b.persistence.wake()
    bClock.advance(SETTLE_MS)
    expect(b.held()).toEqual(['a1'])
    // A was frozen all along; it wakes with a message it wrote just before.
    a.outbox.set([...a.outbox.get(), entry('a2')])
    await Promise.resolve()
    expect(a.held()).toEqual(['a2'])
    expect(stored(storage).sort()).toEqual([['a1'], ['a2']])
  })

  it('takes over the list an earlier version kept, once', () => {
    const storage = memoryStorage()
    const clock = new ManualClock()
    storage.setItem(PREFIX, JSON.stringify([entry('old1'), entry('old2')]))
    const a = tab(storage, clock)
    clock.advance(SETTLE_MS)
    expect(a.held()).toEqual(['old1', 'old2'])
    expect(storage.getItem(PREFIX)).toBeNull()
    expect(stored(storage)).toEqual([['old1', 'old2']])
  })
})
