import { describe, expect, it } from 'vitest'
import { checkRateLimits, createRateLimiter, RATE_LIMIT_COOLDOWN_MS } from '../../src/server/rate-limit'

describe('rate limiter', () => {
  const limits = checkRateLimits({ message: { perSecond: 2, burst: 3 } })

  it('allows a burst, then refuses with a cooldown that covers what is already on its way', () => {
    let time = 0
    const limiter = createRateLimiter(limits, () => time)
    expect([1, 2, 3].map(() => limiter.take('message').ok)).toEqual([true, true, true])
    expect(limiter.take('message')).toEqual({ ok: false, retryAfterMs: RATE_LIMIT_COOLDOWN_MS })
    // Half a second refills a token, but the cooldown still refuses the requests behind it.
    time = 500
    expect(limiter.take('message')).toEqual({ ok: false, retryAfterMs: 500 })
    time = 1000
    expect(limiter.take('message').ok).toBe(true)
  })

  it('refills at the sustained rate up to the burst', () => {
    let time = 0
    const limiter = createRateLimiter(limits, () => time)
    for (let i = 0; i < 3; i++) limiter.take('message')
    time = 60_000
    expect([1, 2, 3, 4].map(() => limiter.take('message').ok)).toEqual([true, true, true, false])
  })

  it('keeps kinds apart', () => {
    const limiter = createRateLimiter(limits, () => 0)
    for (let i = 0; i < 3; i++) limiter.take('message')
    expect(limiter.take('message').ok).toBe(false)
    expect(limiter.take('typing').ok).toBe(true)
  })

  it('refuses nonsense limits clearly', () => {
    expect(() => checkRateLimits({ typing: { perSecond: 0, burst: 1 } })).toThrow(/rateLimits.typing/)
  })
})
