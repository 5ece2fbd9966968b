/**
 * Shared by the fuzz suites: fast-check parameters (seed and run count from the environment),
 * a trap for errors that escape to the process, and small polling helpers.
 *
 *   FUZZ_SEED=1234 npx vitest run test/fuzz      replay the runs of one seed
 *   FUZZ_RUNS_SCALE=10 npx vitest run test/fuzz  ten times the runs (slower, for a soak)
 *   FUZZ_SHRINK=0                                report the first failure as found, unshrunk
 *   FUZZ_TRACE=5000                              client fuzz: longer acks in the failure trace
 *
 * On failure fast-check prints the seed, the path and the shrunk counterexample.
 */
import fc from 'fast-check'
import { afterEach, beforeEach, expect } from 'vitest'

export { ERROR_CODES } from '../../src/protocol'

/**
 * `shrinkLimitMs` bounds the whole check, shrinking included: a failure found is still reported
 * (shrunk as far as time allowed), so a slow world per run cannot turn a red test into a timeout.
 * FUZZ_SHRINK=0 reports the first failure unshrunk.
 */
export function fuzzParameters<Ts>(numRuns: number, shrinkLimitMs = 45_000): fc.Parameters<Ts> {
  const seedText = process.env.FUZZ_SEED
  const scale = Number(process.env.FUZZ_RUNS_SCALE ?? '1')
  const runs = Math.max(1, Math.round(numRuns * (Number.isFinite(scale) && scale > 0 ? scale : 1)))
  const parameters: fc.Parameters<Ts> = {
    numRuns: runs,
    endOnFailure: process.env.FUZZ_SHRINK === '0',
    plugins: [fc.interruptAfterTimeLimit(shrinkLimitMs * Math.max(1, scale)) as fc.Plugin<Ts>],
  }
  if (seedText !== undefined && seedText !== '') {
    const seed = Number(seedText)
    if (!Number.isInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got ${seedText}`)
    parameters.seed = seed
  }
  return parameters
}

export interface ProcessFault {
  kind: 'unhandledRejection' | 'uncaughtException'
  error: unknown
}

/**
 * Records every unhandled rejection and uncaught exception while a test runs, and fails the
 * test in afterEach if there was any. Properties also read `faults` to fail the very run that
 * caused one, so that fast-check shrinks towards it.
 */
export function trapProcessFaults(): ProcessFault[] {
  const faults: ProcessFault[] = []
  const onRejection = (error: unknown): void => void faults.push({ kind: 'unhandledRejection', error })
  const onException = (error: unknown): void => void faults.push({ kind: 'uncaughtException', error })
  beforeEach(() => {
    faults.length = 0
    process.on('unhandledRejection', onRejection)
    process.on('uncaughtException', onException)
  })
  afterEach(() => {
    process.off('unhandledRejection', onRejection)
    process.off('uncaughtException', onException)
    expect(faults.map(describeFault)).toEqual([])
  })
  return faults
}

export function describeFault(fault: ProcessFault): string {
  const error = fault.error
  return `${fault.kind}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Lets every queued nextTick, microtask and already-due I/O callback run. */
export async function drain(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve))
  await new Promise<void>((resolve) => setImmediate(resolve))
}

/** Polls until `condition` holds; throws with `what` after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(2)
  }
}

/** A short, printable rendering of any value for assertion messages. */
export function show(value: unknown, max = 300): string {
  let text: string
  try {
    text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 40)}…(${v.length})` : v)) ?? String(value)
  } catch {
    text = String(value)
  }
  return text.length > max ? `${text.slice(0, max)}…` : text
}

/**
 * A long string, kept short in fast-check's reports (`Huge(50000)` rather than fifty thousand
 * x's); `materialize` turns it into the real string just before it goes on the wire.
 */
export class Huge {
  constructor(readonly length: number) {}
  get value(): string {
    return 'x'.repeat(this.length)
  }
  [fc.toStringMethod](): string {
    return `Huge(${this.length})`
  }
}

export const hugeString = (max: number): fc.Arbitrary<Huge> => fc.integer({ min: 1, max }).map((n) => new Huge(n))

/** Replaces every `Huge` inside plain objects and arrays with its string. */
export function materialize(value: unknown): unknown {
  if (value instanceof Huge) return value.value
  if (Array.isArray(value)) return value.some(containsHuge) ? value.map(materialize) : value
  if (isPlainObject(value) && Object.values(value).some(containsHuge)) {
    const copy: Record<string, unknown> = {}
    for (const key of Object.keys(value)) {
      Object.defineProperty(copy, key, { value: materialize(value[key]), enumerable: true, writable: true, configurable: true })
    }
    return copy
  }
  return value
}

function containsHuge(value: unknown): boolean {
  if (value instanceof Huge) return true
  if (Array.isArray(value)) return value.some(containsHuge)
  return isPlainObject(value) && Object.values(value).some(containsHuge)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}
