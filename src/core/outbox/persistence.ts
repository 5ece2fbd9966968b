/**
 * The outbox in storage, shared by every client on that storage (the tabs of one visitor).
 *
 * Each client writes only its own record, under its own key (`<prefix>:<holder id>`), so no tab's
 * write can drop another tab's unsent messages. A record says when its holder was last alive; a
 * holder that closes marks it released. Another client takes over a released or long-silent
 * record in two steps: it writes a claim into it, waits `SETTLE_MS`, and adopts the entries only
 * if its claim is still there, writing them under its own key before removing the old one. A
 * holder that is alive after all overwrites a fresh claim (the claimer then backs off) and gives
 * up an old one (the claimer has taken its entries, so it drops them and starts a new record). So
 * an entry is held by one client at a time, and is never absent from storage while unsent.
 *
 * Storages that cannot list their keys (`key`/`length`) cannot do this: a client then keeps one
 * record under a fixed key, as a single tab would.
 */
import type { ReadableAtom } from 'nanostores'
import { ChatError } from '../errors'
import { Timer, type Clock } from '../util/clock'
import { randomId } from '../util/ids'
import { keysWithPrefix, parseJson, readJson, readText, removeKey, writeJson, writeText, type StorageLike } from '../util/storage'
import { parseOutbox, persistable, type Outbox, type OutboxEntry } from './outbox'
import { isEnumerable, parseRecord, type OutboxRecord } from './stored'

/** How often a holder says it is alive (while it holds entries), and looks for records to adopt. */
export const HEARTBEAT_MS = 15_000
/** A holder silent this long is gone (hidden tabs may run timers only once a minute). */
export const STALE_MS = 90_000
/** A claim must survive this long before the claimer adopts. */
export const SETTLE_MS = 300
/** A claim not carried out within this long was abandoned (its claimer died). */
const CLAIM_EXPIRE_MS = 10_000

/**
 * What a client starts with. Where records can be handed on, nothing: it adopts released and
 * silent records through claims once connected. Otherwise the one record (and a legacy list).
 */
export function restoredOutbox(storage: StorageLike, prefix: string): OutboxEntry[] {
  if (isEnumerable(storage)) return []
  return [...(parseRecord(readJson(storage, `${prefix}:single`))?.entries ?? []), ...parseOutbox(readJson(storage, prefix))]
}

export interface PersistenceOptions {
  storage: StorageLike
  /** The outbox key prefix (`storageKeys(...).outbox`). */
  prefix: string
  clock: Clock
  outbox: ReadableAtom<Outbox>
  /** Entries taken over from a client that is gone. */
  adopt(entries: Outbox): void
  /** Entries another client took over from this one, believing it gone. */
  release(clientIds: ReadonlySet<string>): void
  /** Connected: this client looks for records to adopt every heartbeat while it is. */
  canSend(): boolean
  reportError(error: ChatError): void
}

export class OutboxPersistence {
  private key: string
  private readonly shared: boolean
  private dirty = false
  private released = false
  /** What this client last wrote under its key: anything else there was written by another client. */
  private written: string | null = null
  private readonly heartbeat: Timer
  private readonly settle: Timer
  private readonly unsubscribe: () => void

  constructor(private readonly options: PersistenceOptions) {
    const { storage, prefix, clock } = options
    this.shared = isEnumerable(storage)
    this.key = this.shared ? `${prefix}:${randomId(clock.random)}` : `${prefix}:single`
    this.heartbeat = new Timer(clock, () => this.beat())
    this.settle = new Timer(clock, () => this.scan())
    this.migrateLegacy()
    // Written once per task, not once per change: a burst of sends or answers is one write.
    // Nothing can close the page between a task and its microtasks, so this is as safe as at once.
    this.unsubscribe = options.outbox.listen(() => {
      if (this.dirty) return
      this.dirty = true
      queueMicrotask(() => {
        this.flush()
        this.keepBeating()
      })
    })
  }

  /**
   * Looks for records to adopt now (the client starts, connects, or its page became visible),
   * and from then on every heartbeat while it is connected or holds entries of its own.
   */
  wake(): void {
    this.released = false
    this.beat()
  }

  private scan(): void {
    if (!this.shared) return
    const { storage, prefix, clock } = this.options
    const now = clock.now()
    let claimed = false
    for (const key of keysWithPrefix(storage, `${prefix}:`)) {
      if (key === this.key) continue
      const record = parseRecord(readJson(storage, key))
      if (!record || !(record.released || now - record.aliveAt > STALE_MS)) continue
      const claim = record.claim
      if (claim && claim.by !== this.key && now - claim.at < CLAIM_EXPIRE_MS) continue
      if (claim?.by === this.key && now - claim.at >= SETTLE_MS) this.takeOver(key, record)
      else if (claim?.by !== this.key) {
        writeJson(storage, key, { ...record, claim: { by: this.key, at: now } } satisfies OutboxRecord)
        claimed = true
      } else claimed = true
    }
    if (claimed && !this.settle.armed) this.settle.arm(SETTLE_MS)
  }

  /** The client is closing: anyone may take over what it still holds. */
  release(): void {
    this.released = true
    this.heartbeat.disarm()
    this.flush(true)
  }

  dispose(): void {
    this.release()
    this.settle.disarm()
    this.unsubscribe()
  }

  private beat(): void {
    this.flush(true)
    this.scan()
    this.heartbeat.disarm()
    this.keepBeating()
  }

  /** Says it is alive while it holds entries, and looks for records to adopt while connected. */
  private keepBeating(): void {
    if (this.released || this.heartbeat.armed) return
    if (this.options.outbox.get().length > 0 || this.options.canSend()) this.heartbeat.arm(HEARTBEAT_MS)
  }

  /** Writes this client's record (`force`: even when nothing changed, to say it is alive). */
  private flush(force = false): void {
    if (!this.dirty && !force) return
    this.dirty = false
    const { storage, clock, outbox } = this.options
    this.yieldClaimed()
    const entries = persistable(outbox.get())
    if (entries.length === 0) {
      if (this.written !== null) removeKey(storage, this.key)
      this.written = null
      return
    }
    const record: OutboxRecord = { v: 2, aliveAt: clock.now(), entries, ...(this.released ? { released: true } : {}) }
    this.written = writeText(storage, this.key, record)
    if (this.written === null) {
      this.options.reportError(new ChatError('internal', 'Could not persist unsent messages; they will be lost if the page closes'))
    }
  }

  /**
   * Another client claimed this one's record, taking this client for gone. A fresh claim is
   * overwritten by the write that follows (this client is alive); an old one has been or is being
   * carried out: the entries in the record are the claimer's now, and this client starts a new
   * record for whatever it wrote since.
   */
  private yieldClaimed(): void {
    if (!this.shared) return
    const { storage, clock, prefix } = this.options
    // Read and parsed only when someone else wrote there: most writes find their own last one.
    const raw = readText(storage, this.key)
    if (raw === this.written) return
    // Gone: another client took the record over and removed it. Else a claim, if old enough.
    const stored = parseRecord(parseJson(raw ?? this.written ?? 'null'))
    const claim = stored?.claim
    if (!stored || (raw !== null && (!claim || claim.by === this.key || clock.now() - claim.at < SETTLE_MS))) return
    this.options.release(new Set(stored.entries.map((entry) => entry.clientId)))
    this.key = `${prefix}:${randomId(clock.random)}`
    this.written = null
  }

  private takeOver(key: string, record: OutboxRecord): void {
    this.options.adopt(record.entries)
    // Under this client's key first, so the entries are never absent from storage.
    this.dirty = true
    this.flush()
    removeKey(this.options.storage, key)
  }

  /** Unsent messages stored by a version that kept one shared list become a released record. */
  private migrateLegacy(): void {
    const { storage, prefix, clock } = this.options
    const legacy = readJson(storage, prefix)
    if (legacy === undefined) return
    const target = this.shared ? `${prefix}:legacy` : this.key
    const entries = [...(parseRecord(readJson(storage, target))?.entries ?? []), ...parseOutbox(legacy)]
    if (entries.length) writeJson(storage, target, { v: 2, aliveAt: clock.now(), released: true, entries } satisfies OutboxRecord)
    removeKey(storage, prefix)
  }
}
