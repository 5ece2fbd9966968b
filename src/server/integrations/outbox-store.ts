/**
 * The outbox on SQL (migration 0005): every delivery that must reach another system (a webhook
 * event, a WhatsApp reply) is a row, written before the change that caused it is acknowledged,
 * and taken by the worker (outbox-worker.ts) until it is delivered or given up.
 *
 * Order: deliveries of one queue (`webhook:<subscription>`, `whatsapp`) and one room go out one
 * after another in the order they were queued: only the oldest pending delivery of a queue and
 * room is ever due (its "head"). Other rooms are not held up by a failing one.
 *
 * Several nodes: a worker takes a head by moving its `locked_until` forward with a conditional
 * update, so of two nodes only one sends it (until the lease runs out, should that node die).
 */
import type { SqlEngine } from '../sql/engine'
import type { OutboxState, OutboxTable } from '../sql/schema'

export interface NewDelivery {
  queue: string
  eventId: string
  eventType: string
  roomId: string
  body: string
}

export interface OutboxJob extends NewDelivery {
  id: number
  attempts: number
  createdAt: number
}

export interface DeliveryRecord extends OutboxJob {
  state: OutboxState
  nextAttemptAt?: number
  lastAttemptAt?: number
  lastStatus?: number
  lastError?: string
  lastResponse?: string
  doneAt?: number
}

export interface AttemptOutcome {
  state: OutboxState
  /** With `pending`: when to try again. */
  nextAttemptAt?: number
  status?: number
  error?: string
  response?: string
}

export class OutboxStore {
  constructor(private readonly engine: SqlEngine) {}

  /** Queues deliveries; one already queued under the same queue and event id is left as it is. */
  async enqueue(deliveries: readonly NewDelivery[], now: number): Promise<void> {
    if (deliveries.length === 0) return
    await this.engine.db
      .insertInto('outbox')
      .values(
        deliveries.map((delivery) => ({
          queue: delivery.queue,
          event_id: delivery.eventId,
          event_type: delivery.eventType,
          room_id: delivery.roomId,
          body: delivery.body,
          state: 'pending' as const,
          attempts: 0,
          created_at: now,
          next_attempt_at: now,
          locked_until: 0,
        })),
      )
      .onConflict((conflict) => conflict.columns(['queue', 'event_id']).doNothing())
      .execute()
  }

  /** Heads of their queue and room that are due and not taken, oldest first. */
  async due(now: number, limit: number): Promise<OutboxJob[]> {
    const rows = await this.engine.db
      .selectFrom('outbox as o')
      .selectAll('o')
      .where('o.state', '=', 'pending')
      .where('o.next_attempt_at', '<=', now)
      .where('o.locked_until', '<=', now)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('outbox as p')
              .select('p.id')
              .whereRef('p.queue', '=', 'o.queue')
              .whereRef('p.room_id', '=', 'o.room_id')
              .where('p.state', '=', 'pending')
              .whereRef('p.id', '<', 'o.id'),
          ),
        ),
      )
      .orderBy('o.id')
      .limit(limit)
      .execute()
    return rows.map(toJob)
  }

  /** Takes a due delivery until `lockedUntil`; false when another worker took it first. */
  async claim(id: number, now: number, lockedUntil: number): Promise<boolean> {
    const result = await this.engine.db
      .updateTable('outbox')
      .set((eb) => ({ locked_until: lockedUntil, attempts: eb('attempts', '+', 1), last_attempt_at: now }))
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .where('locked_until', '<=', now)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  /** Records an attempt's outcome and lets the delivery go (to the next attempt, or done). */
  async settle(id: number, outcome: AttemptOutcome, now: number): Promise<void> {
    await this.engine.db
      .updateTable('outbox')
      .set({
        state: outcome.state,
        locked_until: 0,
        ...(outcome.nextAttemptAt !== undefined && { next_attempt_at: outcome.nextAttemptAt }),
        last_status: outcome.status ?? null,
        last_error: outcome.error ?? null,
        last_response: outcome.response ?? null,
        done_at: outcome.state === 'pending' ? null : now,
      })
      .where('id', '=', id)
      .execute()
  }

  /** Lets go of deliveries this worker took but did not finish (it is closing), to be tried again at once. */
  async release(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return
    await this.engine.db.updateTable('outbox').set({ locked_until: 0 }).where('id', 'in', [...ids]).where('state', '=', 'pending').execute()
  }

  /** A queue's newest deliveries, for the delivery log. */
  async recent(queue: string, limit: number): Promise<DeliveryRecord[]> {
    const rows = await this.engine.db.selectFrom('outbox').selectAll().where('queue', '=', queue).orderBy('id', 'desc').limit(limit).execute()
    return rows.map(toRecord)
  }

  /** Drops a queue's deliveries that are still waiting (its subscription is gone). */
  async dropPending(queue: string, now: number, reason: string): Promise<void> {
    await this.engine.db.updateTable('outbox').set({ state: 'failed', last_error: reason, done_at: now, locked_until: 0 }).where('queue', '=', queue).where('state', '=', 'pending').execute()
  }

  /** Forgets finished deliveries done before `cutoff`. */
  async prune(cutoff: number): Promise<number> {
    const result = await this.engine.db.deleteFrom('outbox').where('state', '!=', 'pending').where('done_at', '<', cutoff).executeTakeFirst()
    return Number(result.numDeletedRows)
  }
}

type OutboxRow = Omit<OutboxTable, 'id'> & { id: number | string }

function toJob(row: OutboxRow): OutboxJob {
  return {
    id: Number(row.id),
    queue: row.queue,
    eventId: row.event_id,
    eventType: row.event_type,
    roomId: row.room_id,
    body: row.body,
    attempts: Number(row.attempts),
    createdAt: Number(row.created_at),
  }
}

function toRecord(row: OutboxRow): DeliveryRecord {
  return {
    ...toJob(row),
    state: row.state,
    ...(row.state === 'pending' && { nextAttemptAt: Number(row.next_attempt_at) }),
    ...(row.last_attempt_at !== null && { lastAttemptAt: Number(row.last_attempt_at) }),
    ...(row.last_status !== null && { lastStatus: Number(row.last_status) }),
    ...(row.last_error !== null && { lastError: row.last_error }),
    ...(row.last_response !== null && { lastResponse: row.last_response }),
    ...(row.done_at !== null && { doneAt: Number(row.done_at) }),
  }
}
