import type { Clock, TimerId } from '../../src/core/util/clock'

/**
 * A clock whose timers fire only when the test advances it, leaving the real timers (which the
 * sockets use) alone. `random` replays a fixed value so backoff delays are exact.
 */
export class ManualClock implements Clock {
  private time = 1_000_000
  private nextId = 1
  private readonly timers = new Map<number, { at: number; fn: () => void }>()
  randomValue = 0.5

  now = (): number => this.time
  random = (): number => this.randomValue

  setTimeout = (fn: () => void, ms: number): TimerId => {
    const id = this.nextId++
    this.timers.set(id, { at: this.time + Math.max(0, ms), fn })
    return id
  }

  clearTimeout = (id: TimerId | undefined): void => {
    if (typeof id === 'number') this.timers.delete(id)
  }

  /** Moves time forward, firing due timers in deadline order (including ones they set). */
  advance(ms: number): void {
    const end = this.time + ms
    for (;;) {
      let nextId: number | undefined
      let nextAt = Infinity
      for (const [id, timer] of this.timers) {
        if (timer.at <= end && timer.at < nextAt) {
          nextAt = timer.at
          nextId = id
        }
      }
      if (nextId === undefined) break
      const timer = this.timers.get(nextId)!
      this.timers.delete(nextId)
      this.time = timer.at
      timer.fn()
    }
    this.time = end
  }

  /** Deadlines still pending, relative to now, soonest first. */
  pending(): number[] {
    return [...this.timers.values()].map((t) => t.at - this.time).sort((a, b) => a - b)
  }
}
