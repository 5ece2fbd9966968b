/**
 * Typing state in both directions. Outgoing: at most one "still typing" per interval, and a
 * "stopped" only when a "typing" went out. Incoming: each remote typist expires on its own
 * unless refreshed, because a "stopped" event can be lost with a dropped connection.
 */
import type { Author } from '../protocol'
import type { Clock, TimerId } from './util/clock'

export class TypingThrottle {
  private lastSentAt: number | undefined

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {}

  /** Whether `isTyping` should go out now. */
  shouldSend(isTyping: boolean): boolean {
    const now = this.clock.now()
    if (isTyping) {
      if (this.lastSentAt !== undefined && now - this.lastSentAt < this.intervalMs) return false
      this.lastSentAt = now
      return true
    }
    if (this.lastSentAt === undefined) return false
    this.lastSentAt = undefined
    return true
  }

  reset(): void {
    this.lastSentAt = undefined
  }
}

export class RemoteTypists {
  private readonly typists = new Map<string, { author: Author; timer: TimerId }>()

  constructor(
    private readonly clock: Clock,
    private readonly expireMs: number,
    private readonly onChange: (typists: Author[]) => void,
  ) {}

  update(author: Author, isTyping: boolean): void {
    const existing = this.typists.get(author.id)
    if (existing) this.clock.clearTimeout(existing.timer)
    if (isTyping) {
      const timer = this.clock.setTimeout(() => this.update(author, false), this.expireMs)
      this.typists.set(author.id, { author, timer })
      if (!existing) this.emit()
    } else if (existing) {
      this.typists.delete(author.id)
      this.emit()
    }
  }

  clear(): void {
    if (this.typists.size === 0) return
    for (const { timer } of this.typists.values()) this.clock.clearTimeout(timer)
    this.typists.clear()
    this.emit()
  }

  private emit(): void {
    this.onChange([...this.typists.values()].map((t) => t.author))
  }
}
