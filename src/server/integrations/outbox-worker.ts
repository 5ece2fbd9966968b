/**
 * Delivers the outbox in the background: never on a request's path, so a slow or dead receiver
 * costs chat nothing. It looks for due deliveries every `pollMs` (and at once when something is
 * queued on this node), takes at most `concurrency` at a time, hands each to the handler of its
 * queue with a deadline, and records the outcome; failures are retried by `RetryPolicy`.
 */
import type { Logger } from '../logger'
import type { AttemptOutcome, OutboxJob, OutboxStore } from './outbox-store'
import { nextAttemptAt, type RetryPolicy } from './retry'

/** What one attempt came to. `retry`: try again later (until the policy gives up); `failed`: never. */
export interface AttemptResult {
  outcome: 'delivered' | 'retry' | 'failed'
  status?: number
  error?: string
  response?: string
}

/** Sends one delivery; resolves (never rejects) with what happened. The signal fires at the deadline or on close. */
export type DeliveryHandler = (job: OutboxJob, signal: AbortSignal) => Promise<AttemptResult>

export interface OutboxWorkerOptions {
  store: OutboxStore
  /** The handler of a queue (`webhook:…`, `whatsapp`); a queue without one is given up. */
  handlerOf: (queue: string) => DeliveryHandler | undefined
  /** Called after a delivery was given up (`failed`), e.g. to show a reply as not delivered. */
  onGiveUp?: (job: OutboxJob, result: AttemptResult) => Promise<void>
  policy: RetryPolicy
  /** Deadline of one attempt. */
  timeoutMs: number
  pollMs: number
  concurrency: number
  now: () => number
  random: () => number
  logger: Logger
  reportError: (error: unknown, context: Record<string, unknown>) => void
}

export interface OutboxWorker {
  /** Looks for due deliveries soon (something was just queued). */
  kick(): void
  start(): void
  /** Stops taking deliveries, aborts those in flight and releases them for the next start. */
  close(): Promise<void>
}

/** Finished deliveries are kept this long for the delivery log, then forgotten. */
const KEEP_DONE_MS = 7 * 24 * 3_600_000
const PRUNE_EVERY_MS = 3_600_000

export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { store, now, logger } = options
  const inFlight = new Map<number, { controller: AbortController; done: Promise<void> }>()
  let timer: ReturnType<typeof setTimeout> | undefined
  let running = false
  let again = false
  let closed = false
  let lastPrune = 0

  function schedule(ms: number): void {
    if (closed) return
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => void pass(), ms)
    timer.unref()
  }

  async function pass(): Promise<void> {
    if (closed) return
    if (running) {
      again = true
      return
    }
    running = true
    try {
      const free = options.concurrency - inFlight.size
      const due = free > 0 ? await store.due(now(), free) : []
      for (const job of due) {
        if (inFlight.size >= options.concurrency || closed) break
        if (inFlight.has(job.id)) continue
        if (!(await store.claim(job.id, now(), now() + options.timeoutMs * 2))) continue
        attempt(job)
      }
      if (now() - lastPrune >= PRUNE_EVERY_MS) {
        lastPrune = now()
        const pruned = await store.prune(now() - KEEP_DONE_MS)
        if (pruned > 0) logger.debug({ pruned }, 'forgot finished deliveries older than a week')
      }
    } catch (error) {
      options.reportError(error, { task: 'outbox pass' })
    } finally {
      running = false
      if (again) {
        again = false
        schedule(0)
      } else schedule(options.pollMs)
    }
  }

  function attempt(job: OutboxJob): void {
    const controller = new AbortController()
    const deadline = setTimeout(() => controller.abort(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs)
    const handler = options.handlerOf(job.queue)
    const done = (async () => {
      const result: AttemptResult = handler ? await handler({ ...job, attempts: job.attempts + 1 }, controller.signal) : { outcome: 'failed', error: `nothing delivers to ${job.queue} any more` }
      clearTimeout(deadline)
      if (closed && result.outcome !== 'delivered') return // released on close, tried again at the next start
      const outcome = settle(job, result)
      await store.settle(job.id, outcome, now())
      if (outcome.state === 'failed') {
        logger.warn({ queue: job.queue, event: job.eventId, room: job.roomId, attempts: job.attempts + 1, error: result.error, status: result.status }, 'a delivery was given up')
        await options.onGiveUp?.(job, result)
      }
    })()
      .catch((error: unknown) => options.reportError(error, { task: 'outbox delivery', queue: job.queue, event: job.eventId }))
      .finally(() => {
        clearTimeout(deadline)
        inFlight.delete(job.id)
        // A delivered head lets the next one of its room go: look again at once.
        if (!closed) schedule(0)
      })
    inFlight.set(job.id, { controller, done })
  }

  function settle(job: OutboxJob, result: AttemptResult): AttemptOutcome {
    const { status, error, response } = result
    const record = { ...(status !== undefined && { status }), ...(error !== undefined && { error }), ...(response !== undefined && { response }) }
    if (result.outcome === 'delivered') return { state: 'delivered', ...record }
    const next = result.outcome === 'retry' ? nextAttemptAt(options.policy, job.attempts + 1, job.createdAt, now(), options.random) : undefined
    return next === undefined ? { state: 'failed', ...record } : { state: 'pending', nextAttemptAt: next, ...record }
  }

  return {
    kick: () => schedule(0),
    start: () => schedule(0),
    async close() {
      closed = true
      if (timer) clearTimeout(timer)
      const taken = [...inFlight.keys()]
      for (const { controller } of inFlight.values()) controller.abort(new Error('the server is closing'))
      await Promise.all([...inFlight.values()].map(({ done }) => done))
      await store.release(taken)
    },
  }
}
