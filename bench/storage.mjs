#!/usr/bin/env node
// Storage engines side by side, through the Store interface the server uses: the memory store,
// SQLite (a file in a temporary folder, WAL, synchronous=FULL) and PostgreSQL (a cluster of its
// own on this machine, fsync on). Per engine:
//   appends: `--appends` appendMessage calls one at a time over 100 rooms (p50/p99 latency, and
//     appends/s), then the same number 32 at a time (appends/s);
//   history: newest page and a random older page (50 messages) of a room of `--big` messages;
//   agent list: listConversations({ limit: 500 }) (what list_conversations asks) over
//     `--rooms` conversations with their unread counts;
//   search: searchMessages over `--messages` messages in all (the rooms plus the big room), for a
//     common word, a rare word and two words together, newest 50;
//   size: the database on disk (SQLite: file + WAL after a checkpoint; PostgreSQL:
//     pg_database_size), per 1,000,000 messages; the memory store: heap growth.
// The bulk of the data is loaded with multi-row inserts of the rows the store writes (memory:
// through appendMessage), since appending a million messages one transaction at a time would
// take most of an hour on PostgreSQL; every figure is then measured through the Store.
//
//   node bench/storage.mjs [--appends 2000] [--rooms 10000] [--big 100000] [--messages 1000000] [--engines memory,sqlite,postgres]
import { spawnSync } from 'node:child_process'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

if (typeof global.gc !== 'function') {
  const again = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' })
  process.exit(again.status ?? 1)
}

const { DIST, debug, flags, mb, ms, now, percentile, rate, runBenchmark } = await import('./lib/common.mjs')
const { startPostgres } = await import('./lib/postgres.mjs')
const { createMemoryStore, createSqlStore } = await import(`${DIST}server.js`)

const args = flags({ appends: 2000, rooms: 10000, big: 100000, messages: 1000000, engines: 'memory,sqlite,postgres', searches: 20 })
const engines = String(args.engines).split(',')
const visitor = (i) => ({ id: `visitor-${i}`, role: 'visitor', name: `Visitor ${i}` })
const agent = { id: 'agent-1', role: 'agent', name: 'Ayu' }

// A vocabulary with a Zipf-like spread: word k appears about 1/k as often as word 1.
let seed = 42
/** mulberry32: small, seeded, and even enough for picking words. */
function random() {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const VOCABULARY = Array.from({ length: 5000 }, (_, k) => `w${k.toString(36)}${'aeiou'[k % 5]}`)
const CUMULATIVE = (() => {
  let sum = 0
  return VOCABULARY.map((_, k) => (sum += 1 / (k + 1)))
})()
function word() {
  const target = random() * CUMULATIVE[CUMULATIVE.length - 1]
  let lo = 0
  let hi = CUMULATIVE.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (CUMULATIVE[mid] < target) lo = mid + 1
    else hi = mid
  }
  return VOCABULARY[lo]
}
const sentence = () => Array.from({ length: 8 }, word).join(' ')
const QUERIES = { common: VOCABULARY[0], rare: VOCABULARY[3000], 'two words': `${VOCABULARY[1]} ${VOCABULARY[20]}` }

await runBenchmark(async (onCleanup) => {
  const results = {}
  for (const engine of engines) {
    debug(`engine ${engine}`)
    const { store, size, close } = await open(engine, onCleanup)
    try {
      results[engine] = await measure(engine, store, size)
    } finally {
      await close()
    }
    debug(engine, JSON.stringify(results[engine]))
  }
  for (const [engine, r] of Object.entries(results)) {
    console.error(
      `${engine}: appends ${rate(r.appendsPerSecond)}/s one at a time (p50 ${ms(r.appendP50)} / p99 ${ms(r.appendP99)} ms), ${rate(r.concurrentPerSecond)}/s 32 at a time; ` +
        `history newest ${ms(r.historyNewest)} ms, older ${ms(r.historyOlder)} ms (room of ${args.big}); list ${ms(r.list)} ms (${args.rooms} conversations); ` +
        `search ${Object.entries(r.search).map(([name, s]) => `${name} ${ms(s.p50)} ms (${s.hits})`).join(', ')} over ${r.messages} messages; ` +
        `size ${mb(r.bytesPerMillion)} per 1M messages; load ${(r.loadMs / 1000).toFixed(1)} s`,
    )
  }
  return `storage: ${Object.entries(results)
    .map(([engine, r]) => `${engine} ${rate(r.appendsPerSecond)} appends/s p50/p99 ${ms(r.appendP50)}/${ms(r.appendP99)} ms, page ${ms(r.historyOlder)} ms, list ${ms(r.list)} ms, search ${ms(r.search.common.p50)} ms, ${mb(r.bytesPerMillion)}/1M`)
    .join(' | ')}`
}, { watchdogMs: 1_800_000 })

async function open(engine, onCleanup) {
  if (engine === 'memory') {
    global.gc()
    const before = process.memoryUsage().heapUsed
    return {
      store: createMemoryStore(),
      size: async () => {
        global.gc()
        return process.memoryUsage().heapUsed - before
      },
      close: async () => {},
    }
  }
  if (engine === 'sqlite') {
    const folder = await mkdtemp(join(tmpdir(), 'obrolan-bench-sqlite-'))
    onCleanup(() => rm(folder, { recursive: true, force: true }))
    const path = join(folder, 'obrolan.db')
    const store = await createSqlStore(`sqlite:${path}`)
    const { sql } = store.engine.kysely
    return {
      store,
      size: async () => {
        await sql`pragma wal_checkpoint(truncate)`.execute(store.engine.db)
        const sizes = await Promise.all([path, `${path}-wal`].map((file) => stat(file).then((s) => s.size, () => 0)))
        return sizes[0] + sizes[1]
      },
      close: () => store.close(),
    }
  }
  if (engine === 'postgres') {
    const server = await startPostgres()
    onCleanup(() => server.stop())
    const store = await createSqlStore(server.url)
    const { sql } = store.engine.kysely
    return {
      store,
      size: async () => {
        await sql`vacuum analyze`.execute(store.engine.db)
        const { rows } = await sql`select pg_database_size(current_database()) as bytes`.execute(store.engine.db)
        return Number(rows[0].bytes)
      },
      close: () => store.close(),
    }
  }
  throw new Error(`unknown engine ${engine}`)
}

async function measure(engine, store, size) {
  // Appends through the store, one at a time and 32 at a time.
  for (let r = 0; r < 100; r++) await store.openVisitorConversation(visitor(`a${r}`), `append-room-${r}`, 1)
  const latencies = []
  let started = now()
  for (let i = 0; i < args.appends; i++) {
    const t = now()
    await store.appendMessage({ roomId: `append-room-${i % 100}`, clientId: `s${i}`, author: visitor(`a${i % 100}`), text: sentence(), createdAt: Date.now() }, `sid-${i}`)
    latencies.push(now() - t)
  }
  const appendsPerSecond = args.appends / ((now() - started) / 1000)
  started = now()
  let next = 0
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < args.appends) {
        const i = next++
        await store.appendMessage({ roomId: `append-room-${i % 100}`, clientId: `c${i}`, author: agent, text: sentence(), createdAt: Date.now() }, `cid-${i}`)
      }
    }),
  )
  const concurrentPerSecond = args.appends / ((now() - started) / 1000)

  // The data set: `rooms` conversations and one big room, `messages` messages in all.
  const loadStarted = now()
  const perRoom = Math.max(1, Math.floor((args.messages - args.big - 2 * args.appends) / args.rooms))
  await load(store, perRoom)
  const loadMs = now() - loadStarted
  const messages = args.rooms * perRoom + args.big + 2 * args.appends

  const historyNewest = await timed(50, () => store.getMessages('big-room', { limit: 50 }))
  const historyOlder = await timed(200, () => store.getMessages('big-room', { beforeSeq: 1 + Math.floor(random() * args.big), limit: 50 }))
  const list = await timed(10, async () => {
    const listed = await store.listConversations({ limit: 500 })
    if (listed.length !== 500) throw new Error(`listed ${listed.length}`)
  })
  const search = {}
  for (const [name, text] of Object.entries(QUERIES)) {
    let hits = 0
    const samples = []
    for (let i = 0; i < (engine === 'memory' ? 3 : args.searches); i++) {
      const t = now()
      hits = (await store.searchMessages({ text, limit: 50 })).length
      samples.push(now() - t)
    }
    search[name] = { p50: percentile(samples, 50), hits }
  }
  const bytes = await size()
  return {
    appendsPerSecond,
    appendP50: percentile(latencies, 50),
    appendP99: percentile(latencies, 99),
    concurrentPerSecond,
    historyNewest,
    historyOlder,
    list,
    search,
    messages,
    loadMs,
    bytesPerMillion: (bytes / messages) * 1_000_000,
  }
}

/** Median of `count` timed calls. */
async function timed(count, fn) {
  const samples = []
  for (let i = 0; i < count; i++) {
    const t = now()
    await fn()
    samples.push(now() - t)
  }
  return percentile(samples, 50)
}

async function load(store, perRoom) {
  const rooms = [...Array.from({ length: args.rooms }, (_, r) => ({ roomId: `room-${r}`, visitor: visitor(r), count: perRoom })), { roomId: 'big-room', visitor: visitor('big'), count: args.big }]
  if (!store.engine) {
    for (const room of rooms) {
      await store.openVisitorConversation(room.visitor, room.roomId, 1)
      for (let seq = 1; seq <= room.count; seq++) {
        await store.appendMessage({ roomId: room.roomId, clientId: `c${seq}`, author: seq % 2 ? room.visitor : agent, text: sentence(), createdAt: 1000 + seq }, `${room.roomId}-${seq}`)
      }
    }
    return
  }
  const { db, kind } = store.engine
  const batch = kind === 'sqlite' ? 1000 : 2000
  for (let r = 0; r < rooms.length; r += batch) {
    await db
      .insertInto('conversations')
      .values(
        rooms.slice(r, r + batch).map((room, i) => ({
          room_id: room.roomId,
          visitor_id: room.visitor.id,
          visitor_role: 'visitor',
          visitor_name: room.visitor.name,
          visitor_email: null,
          status: 'open',
          last_seq: room.count,
          last_change_seq: 0,
          visitor_delivered: room.count,
          visitor_read: Math.floor(room.count / 2),
          agent_delivered: room.count,
          agent_read: Math.floor(room.count / 3),
          created_at: 1 + r + i,
          updated_at: 1000 + r + i,
        })),
      )
      .execute()
  }
  let rows = []
  const flush = async () => {
    if (rows.length) await db.insertInto('messages').values(rows).execute()
    rows = []
  }
  for (const room of rooms) {
    for (let seq = 1; seq <= room.count; seq++) {
      const author = seq % 2 ? room.visitor : agent
      rows.push({
        room_id: room.roomId,
        seq,
        id: `${room.roomId}-${seq}`,
        client_id: `c${seq}`,
        author_id: author.id,
        author_role: author.role,
        author_name: author.name ?? null,
        author_email: null,
        text: sentence(),
        created_at: 1000 + seq,
        edited_at: null,
        deleted: 0,
        change_seq: null,
      })
      if (rows.length === batch) await flush()
    }
  }
  await flush()
  if (kind === 'postgres') await store.engine.kysely.sql`analyze`.execute(db)
}
