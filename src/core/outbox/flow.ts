/**
 * When the outbox may send, after the server refused a message for the moment (a rate limit, an
 * internal error). Pure: the sender asks `nextStep` whenever anything changed (an answer came, a
 * socket opened, the timer fired) and carries out what it says, so a hold can never outlive
 * everything that would lift it.
 */

export interface Flow {
  /** Nothing new goes out before this time; undefined while nothing holds the outbox back. */
  holdUntil: number | undefined
  /** Refused rounds in a row with not one message through; each waits longer than the last. */
  refusedRounds: number
}

export const openFlow: Flow = { holdUntil: undefined, refusedRounds: 0 }

export type Step =
  | { kind: 'send' }
  /** The rest of a refused round is still being answered; every answer asks again. */
  | { kind: 'await_answers' }
  | { kind: 'wait'; ms: number }

export function nextStep(flow: Flow, now: number, inFlight: boolean): Step {
  if (flow.holdUntil === undefined) return { kind: 'send' }
  // A refused round is resent whole, in order, once all of it is answered: a refusal in the middle
  // of a burst cannot reorder the burst.
  if (inFlight) return { kind: 'await_answers' }
  if (now < flow.holdUntil) return { kind: 'wait', ms: flow.holdUntil - now }
  return { kind: 'send' }
}

/** The hold is over and the round is being resent. */
export const released = (flow: Flow): Flow => (flow.holdUntil === undefined ? flow : { ...flow, holdUntil: undefined })

/** A message got through: the next refusal starts counting afresh. */
export const accepted = (flow: Flow): Flow => (flow.refusedRounds === 0 ? flow : { ...flow, refusedRounds: 0 })

/**
 * A message was refused for the moment. The first refusal of a round waits what the server asked
 * (`retryAfterMs`); a round refused again with nothing through also waits out a growing backoff,
 * so a server that keeps answering "retry at once" cannot turn the outbox into a busy loop.
 */
export function refused(flow: Flow, retryAfterMs: number | undefined, now: number, backoff: (round: number) => number): Flow {
  if (flow.holdUntil !== undefined) {
    return { ...flow, holdUntil: Math.max(flow.holdUntil, now + (retryAfterMs ?? 0)) }
  }
  const rounds = flow.refusedRounds + 1
  const wait = rounds === 1 && retryAfterMs !== undefined ? retryAfterMs : Math.max(retryAfterMs ?? 0, backoff(rounds - 1))
  return { holdUntil: now + wait, refusedRounds: rounds }
}
