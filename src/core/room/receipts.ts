/**
 * Delivery receipts: tells the server how far this side has received the other side's messages
 * in the open room, once per burst rather than once per message, and never for a run of only
 * this side's own messages.
 */
import type { Role } from '../../protocol'
import type { SocketLink } from '../transport/socket-link'
import { Timer, type Clock } from '../util/clock'
import type { Timeline } from './timeline'

/** Least time between two delivery receipts; a burst of incoming messages shares one. */
const RECEIPT_INTERVAL_MS = 100

export interface ReceiptSource {
  readonly id: string | undefined
  readonly joined: boolean
  readonly timeline: Timeline
}

export class DeliveryReceipts {
  /** Highest seq reported delivered for the open room on this socket. */
  private reported = 0
  private lastAt = -Infinity
  private readonly timer: Timer

  constructor(
    private readonly role: Role,
    private readonly clock: Clock,
    private readonly link: SocketLink,
    private readonly room: ReceiptSource,
  ) {
    this.timer = new Timer(clock, () => this.report())
  }

  /** Starts from what the server knows: a report sent on a socket that died may never have arrived. */
  reset(deliveredOnServer: number): void {
    this.reported = deliveredOnServer
  }

  report(): void {
    const { id: roomId, joined, timeline } = this.room
    const upTo = timeline.contiguousSeq ?? 0
    if (!roomId || !joined || upTo <= this.reported) return
    if (!this.othersBetween(timeline, this.reported, upTo)) return
    // The first message of a lull is reported at once, the rest of a burst together, the last always.
    const wait = this.lastAt + RECEIPT_INTERVAL_MS - this.clock.now()
    if (wait > 0) {
      if (!this.timer.armed) this.timer.arm(wait)
      return
    }
    this.reported = upTo
    this.lastAt = this.clock.now()
    this.link.notify('mark_delivered', { roomId, upToSeq: upTo })
  }

  dispose(): void {
    this.timer.disarm()
  }

  private othersBetween(timeline: Timeline, afterSeq: number, upToSeq: number): boolean {
    for (let i = timeline.messages.length - 1; i >= 0; i--) {
      const message = timeline.messages[i]!
      if (message.seq <= afterSeq) return false
      if (message.seq <= upToSeq && message.author.role !== this.role) return true
    }
    return false
  }
}
