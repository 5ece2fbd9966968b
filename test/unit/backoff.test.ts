import { describe, expect, it } from 'vitest'
import { backoffDelay } from '../../src/core/connection/backoff'

const options = { minMs: 500, maxMs: 30_000 }

describe('backoffDelay', () => {
  it('doubles the ceiling with each attempt and caps it', () => {
    const top = () => 0.999999
    expect(backoffDelay(0, options, top)).toBe(499)
    expect(backoffDelay(1, options, top)).toBe(999)
    expect(backoffDelay(5, options, top)).toBe(15_999)
    expect(backoffDelay(6, options, top)).toBe(29_999)
    expect(backoffDelay(60, options, top)).toBe(29_999)
  })

  it('is fully jittered: zero at the bottom of the random range, proportional within it', () => {
    expect(backoffDelay(3, options, () => 0)).toBe(0)
    expect(backoffDelay(3, options, () => 0.5)).toBe(2000)
  })

  it('treats a negative attempt as the first', () => {
    expect(backoffDelay(-3, options, () => 0.5)).toBe(250)
  })
})
