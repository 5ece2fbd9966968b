/**
 * What a room missed, fetched until nothing is missing: messages in a hole of the timeline
 * (`get_history` forward from the gap-free run), and edits and deletes by their change numbers
 * (`get_changes` after the last change applied with nothing missed before it). One fetch loop of
 * each kind at a time; a reason to fetch that comes up mid-loop runs it once more.
 */
import type { WireMessage } from '../../protocol'
import { ChatError } from '../errors'
import type { SocketLink } from '../transport/socket-link'
import { SingleFlight } from './single-flight'
import { hasGap, type Timeline } from './timeline'

export interface CatchUpRoom {
  readonly id: string | undefined
  readonly joined: boolean
  readonly timeline: Timeline
  /** Adds messages of the open room; returns those admitted. */
  insert(messages: readonly WireMessage[], source: string): WireMessage[]
  /** Applies changed messages to those held; returns those admitted. */
  applyChanges(messages: readonly WireMessage[], source: string): WireMessage[]
  /** New messages are in: tell the server how far this side has them. */
  received(): void
}

/** Errors a fetch loop leaves to others: the link reports timeouts and malformed answers itself. */
const QUIET = new Set(['timeout', 'not_connected', 'invalid_event'])

export class CatchUp {
  /** Highest change number applied with nothing missed before it. */
  private changesApplied = 0
  private readonly gapFill: SingleFlight
  private readonly changeFetch: SingleFlight

  constructor(
    private readonly room: CatchUpRoom,
    private readonly link: SocketLink,
    private readonly pageSize: number,
    reportError: (error: ChatError) => void,
  ) {
    const failed = (error: unknown) => {
      if (error instanceof ChatError && !QUIET.has(error.code)) reportError(error)
    }
    this.gapFill = new SingleFlight(() => this.fetchUntilGapFree(), failed)
    this.changeFetch = new SingleFlight(() => this.fetchChanges(), failed)
  }

  /** A room opened or started over: no change applied yet. */
  reset(): void {
    this.changesApplied = 0
  }

  /** A first page holds every message as it is now, so every change so far is in it. */
  joinedFresh(lastChangeSeq: number): void {
    this.changesApplied = lastChangeSeq
  }

  /** The server's latest change number for the room; fetches what came after the last applied. */
  changesUpTo(lastChangeSeq: number): void {
    if (lastChangeSeq > this.changesApplied && this.room.joined) void this.changeFetch.run()
  }

  /** A change arrived live: the next one advances the count; one further on means some were missed. */
  changeSeen(changeSeq: number | undefined): void {
    if (changeSeq === undefined || changeSeq <= this.changesApplied) return
    if (changeSeq === this.changesApplied + 1) this.changesApplied = changeSeq
    else void this.changeFetch.run()
  }

  /** Fetches what lies in a hole of the timeline, if there is one (or `more` says the server has more). */
  fillGaps(more = false): void {
    if (more || hasGap(this.room.timeline)) void this.gapFill.run()
  }

  private async fetchUntilGapFree(): Promise<void> {
    for (;;) {
      const roomId = this.room.id
      const after = this.room.timeline.contiguousSeq
      if (!roomId || after === undefined || !this.room.joined) return
      const ack = await this.link.request('get_history', { roomId, afterSeq: after, limit: this.pageSize })
      if (roomId !== this.room.id) return
      if (!ack.ok) throw new ChatError(ack.error.code, `get_history: ${ack.error.message}`)
      this.room.insert(ack.messages, 'get_history ack')
      this.room.received()
      if (!ack.hasMore && !hasGap(this.room.timeline)) return
      if (ack.messages.length === 0) return
    }
  }

  private async fetchChanges(): Promise<void> {
    for (;;) {
      const roomId = this.room.id
      if (!roomId || !this.room.joined) return
      const ack = await this.link.request('get_changes', { roomId, afterChangeSeq: this.changesApplied, limit: this.pageSize })
      if (roomId !== this.room.id) return
      if (!ack.ok) throw new ChatError(ack.error.code, `get_changes: ${ack.error.message}`)
      // Changes to messages not held are skipped: those come as they are now when loaded.
      this.room.applyChanges(ack.messages, 'get_changes ack')
      for (const message of ack.messages) this.changesApplied = Math.max(this.changesApplied, message.changeSeq ?? 0)
      if (!ack.hasMore || ack.messages.length === 0) return
    }
  }
}
