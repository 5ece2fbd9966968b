import { describe, expect, it, vi } from 'vitest'
import type { Clock } from '../../src/core/util/clock'
import { RemoteTypists, TypingThrottle } from '../../src/core/typing'

function fakeClock(): Clock {
  return {
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
    random: () => 0.5,
  }
}

describe('typing', () => {
  it('throttles "still typing" and sends "stopped" only after a "typing"', () => {
    vi.useFakeTimers()
    try {
      const throttle = new TypingThrottle(fakeClock(), 2000)
      expect(throttle.shouldSend(false)).toBe(false)
      expect(throttle.shouldSend(true)).toBe(true)
      vi.advanceTimersByTime(1999)
      expect(throttle.shouldSend(true)).toBe(false)
      vi.advanceTimersByTime(1)
      expect(throttle.shouldSend(true)).toBe(true)
      expect(throttle.shouldSend(false)).toBe(true)
      expect(throttle.shouldSend(false)).toBe(false)
    } finally {
      vi.useRealTimers()
    }
  })

  it('expires a remote typist 5 s after the last refresh', () => {
    vi.useFakeTimers()
    try {
      const seen: string[][] = []
      const typists = new RemoteTypists(fakeClock(), 5000, (list) => seen.push(list.map((a) => a.id)))
      const agent = { id: 'a1', role: 'agent' as const }
      typists.update(agent, true)
      vi.advanceTimersByTime(4000)
      typists.update(agent, true)
      vi.advanceTimersByTime(4999)
      expect(seen).toEqual([['a1']])
      vi.advanceTimersByTime(1)
      expect(seen).toEqual([['a1'], []])
    } finally {
      vi.useRealTimers()
    }
  })

  it('removes a typist at once on "stopped" and clears all on demand', () => {
    vi.useFakeTimers()
    try {
      const seen: number[] = []
      const typists = new RemoteTypists(fakeClock(), 5000, (list) => seen.push(list.length))
      typists.update({ id: 'a', role: 'agent' }, true)
      typists.update({ id: 'b', role: 'agent' }, true)
      typists.update({ id: 'a', role: 'agent' }, false)
      typists.clear()
      expect(seen).toEqual([1, 2, 1, 0])
      vi.advanceTimersByTime(10_000)
      expect(seen).toEqual([1, 2, 1, 0])
    } finally {
      vi.useRealTimers()
    }
  })
})
