// Shared helpers of the benchmarks: flags, statistics, formatting, waiting, cleanup.
// Everything here runs against the built package (dist/) and stays on 127.0.0.1.
import { existsSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

export const now = () => performance.now()
/** Wall-clock milliseconds with sub-millisecond resolution: comparable across processes (and with a page's). */
export const epochNow = () => performance.timeOrigin + performance.now()
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

export const DIST = fileURLToPath(new URL('../../dist/', import.meta.url))
export const AGENT_TOKEN = 'bench-agent'
export const SECRET = 'bench-secret'
/** Our server's rate limits are for real traffic, not a benchmark's. */
const UNLIMITED = { perSecond: 1e6, burst: 1e6 }
// newVisitor too: the benchmarks open thousands of visitors from one address on purpose.
export const BENCH_RATE_LIMITS = { message: UNLIMITED, receipt: UNLIMITED, typing: UNLIMITED, room: UNLIMITED, newVisitor: UNLIMITED }

export function requireDist() {
  for (const file of ['index.js', 'server.js', 'obrolan.umd.cjs']) {
    if (!existsSync(DIST + file)) {
      throw new Error(`dist/${file} is missing: build first (npm run build)`)
    }
  }
}

/**
 * Integer flags with defaults: `flags({ rounds: 10 })` accepts `--rounds 5`. A list default
 * (an array) accepts `--sizes 1000,10000`. Unknown flags are an error.
 */
export function flags(defaults) {
  const options = {}
  for (const [name, value] of Object.entries(defaults)) {
    options[name] = typeof value === 'boolean' ? { type: 'boolean', default: value } : { type: 'string', default: String(value) }
  }
  const { values } = parseArgs({ options, strict: true })
  const result = {}
  for (const [name, value] of Object.entries(defaults)) {
    const raw = values[name]
    if (typeof value === 'boolean') result[name] = raw
    else if (Array.isArray(value)) result[name] = String(raw).split(',').map((part) => positive(name, part))
    else result[name] = typeof value === 'number' ? nonNegative(name, raw) : raw
  }
  return result
}

function positive(name, raw) {
  const n = Number(raw)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${raw}`)
  return n
}

function nonNegative(name, raw) {
  const n = Number(raw)
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number ≥ 0, got ${raw}`)
  return n
}

/** Progress on stderr when OBROLAN_BENCH_DEBUG is set; the one line on stdout stays clean. */
const debugStart = performance.now()
export function debug(...parts) {
  if (process.env.OBROLAN_BENCH_DEBUG) console.error(`[${((performance.now() - debugStart) / 1000).toFixed(1)} s]`, ...parts)
}

// ---- statistics ----

export function percentile(values, p) {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length) - 1
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]
}

export const median = (values) => {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

// ---- formatting ----

/** Milliseconds with about three significant figures. */
export function ms(value) {
  if (!Number.isFinite(value)) return 'n/a'
  if (value < 1) return value.toFixed(3)
  if (value < 10) return value.toFixed(2)
  if (value < 100) return value.toFixed(1)
  return value.toFixed(0)
}

export function ratio(value) {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : 'n/a'
}

/** A count per second, e.g. 12300 → "12.3k". */
export function rate(value) {
  if (!Number.isFinite(value)) return 'n/a'
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`
  if (value >= 1e4) return `${(value / 1e3).toFixed(1)}k`
  if (value >= 1e3) return `${(value / 1e3).toFixed(2)}k`
  return value.toFixed(0)
}

export function kb(bytes) {
  if (!Number.isFinite(bytes)) return 'n/a'
  const k = bytes / 1024
  return k >= 100 ? `${k.toFixed(0)} KB` : `${k.toFixed(1)} KB`
}

export function mb(bytes) {
  return Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : 'n/a'
}

// ---- waiting ----

/** Rejects after `timeoutMs` with a message that says what was awaited. */
export function withTimeout(promise, timeoutMs, what) {
  let timer
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** Resolves once `predicate(store.get())` holds (checked at once and on every change). */
export function until(store, predicate, timeoutMs, what) {
  let off = () => {}
  const reached = new Promise((resolve) => {
    off = store.subscribe((value) => {
      if (predicate(value)) resolve(value)
    })
  })
  return withTimeout(reached, timeoutMs, what).finally(() => off())
}

/** A promise with its resolve/reject outside. */
export function deferred() {
  let resolve
  let reject
  const promise = new Promise((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** Runs `fn(i)` for i in [0, count) with at most `concurrency` at a time; resolves to the results. */
export async function pool(count, concurrency, fn) {
  const results = new Array(count)
  let next = 0
  async function worker() {
    while (next < count) {
      const i = next++
      results[i] = await fn(i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
  return results
}

// ---- running a benchmark ----

/**
 * Runs `main` and prints its one line; on an error prints it to stderr and exits 1. Cleanups
 * registered with `onCleanup` run in reverse order either way (and on Ctrl-C). A watchdog ends
 * a run that hangs.
 */
export async function runBenchmark(main, { watchdogMs = 240_000 } = {}) {
  const cleanups = []
  const onCleanup = (fn) => cleanups.push(fn)
  const cleanup = async () => {
    while (cleanups.length) {
      try {
        await withTimeout(Promise.resolve(cleanups.pop()()), 10_000, 'cleanup')
      } catch (error) {
        console.error(`cleanup: ${error?.message ?? error}`)
      }
    }
  }
  const watchdog = setTimeout(() => {
    console.error(`benchmark still running after ${watchdogMs} ms: giving up`)
    process.exit(1)
  }, watchdogMs)
  watchdog.unref()
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)))
  let line
  try {
    requireDist()
    line = await main(onCleanup)
  } catch (error) {
    console.error(error?.stack ?? error)
    process.exitCode = 1
  } finally {
    await cleanup()
  }
  if (line !== undefined && process.exitCode !== 1) console.log(line)
  // Lingering handles (a socket that would reconnect, a timer) must not keep a finished run alive.
  setTimeout(() => process.exit(process.exitCode ?? 0), 200).unref()
}
