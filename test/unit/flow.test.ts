import { describe, expect, it } from 'vitest'
import { accepted, nextStep, openFlow, refused, released } from '../../src/core/outbox/flow'

const noBackoff = () => 0

describe('outbox flow control', () => {
  it('sends while nothing holds it back, pipelining over answers still due', () => {
    expect(nextStep(openFlow, 0, true)).toEqual({ kind: 'send' })
  })

  it('after a refusal, waits for the rest of the round, then for retryAfterMs, then sends', () => {
    const held = refused(openFlow, 1000, 5000, noBackoff)
    expect(held).toEqual({ holdUntil: 6000, refusedRounds: 1 })
    expect(nextStep(held, 5500, true)).toEqual({ kind: 'await_answers' })
    expect(nextStep(held, 5500, false)).toEqual({ kind: 'wait', ms: 500 })
    expect(nextStep(held, 5999, false)).toEqual({ kind: 'wait', ms: 1 })
    expect(nextStep(held, 6000, false)).toEqual({ kind: 'send' })
    expect(released(held)).toEqual({ holdUntil: undefined, refusedRounds: 1 })
  })

  it('keeps the longest wait of one round', () => {
    const first = refused(openFlow, 1000, 0, noBackoff)
    expect(refused(first, 0, 10, noBackoff).holdUntil).toBe(1000)
    expect(refused(first, 2000, 10, noBackoff).holdUntil).toBe(2010)
  })

  it('backs off on rounds refused again with nothing through, and forgets once a message gets through', () => {
    const backoff = (round: number) => 100 * 2 ** round
    let flow = refused(openFlow, 0, 0, backoff)
    // The server's wait the first time, even when it is zero.
    expect(flow.holdUntil).toBe(0)
    flow = refused(released(flow), 0, 0, backoff)
    expect(flow).toEqual({ holdUntil: 200, refusedRounds: 2 })
    flow = refused(released(flow), 50, 200, backoff)
    expect(flow).toEqual({ holdUntil: 600, refusedRounds: 3 })
    flow = accepted(released(flow))
    expect(refused(flow, 0, 1000, backoff)).toEqual({ holdUntil: 1000, refusedRounds: 1 })
  })

  it('waits out a backoff when the server gives no retryAfterMs', () => {
    expect(refused(openFlow, undefined, 100, () => 250)).toEqual({ holdUntil: 350, refusedRounds: 1 })
  })
})
