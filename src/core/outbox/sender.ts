/**
 * Owns the outbox and gets it to the server: every pending message goes out in order, pipelined,
 * on the current socket; each answer confirms, fails or holds it. `flush` is the only place that
 * decides what happens next, and every event that can change the decision (a send, an answer, a
 * new socket, the hold's timer) calls it, so a connected client with pending messages is always
 * either sending them, waiting for answers it will get (or a timeout that replaces the socket),
 * or has its timer set for the end of a hold.
 */
import { atom, type ReadableAtom } from 'nanostores'
import type { Attachment, WireError, WireMessage } from '../../protocol'
import { backoffDelay, type BackoffOptions } from '../connection/backoff'
import { ChatError } from '../errors'
import type { Link } from '../transport/link'
import { Timer, type Clock } from '../util/clock'
import { randomId } from '../util/ids'
import { accepted, nextStep, openFlow, refused, released, type Flow } from './flow'
import * as ops from './outbox'

/** Refusals that are about the moment, not the message: keep it and try again later. */
const TRANSIENT: ReadonlySet<string> = new Set(['internal', 'rate_limited'])

export interface SenderOptions {
  clock: Clock
  backoff: BackoffOptions
  link: Link
  /** The outbox as it was stored, to carry on with. */
  restored: ops.Outbox
  /** Messages may go out: the connection is up and its room joined. */
  canSend(): boolean
  /** Who this client is, as the server said; only its own messages confirm entries. */
  userId(): string | undefined
  /**
   * The open room holds this message of ours, or the server has it in another room. Confirms
   * nothing by itself: whoever shows the message calls `confirm`.
   */
  delivered(message: WireMessage): void
  /** The server refused this entry for good; it is `failed` in the outbox now. */
  failed(clientId: string): void
  /** Entries that left the outbox for good (sent, discarded, cancelled): their files' bytes can go. */
  dropped(clientIds: readonly string[]): void
  reportError(error: ChatError): void
}

export class Sender {
  private readonly $outbox: ReturnType<typeof atom<ops.Outbox>>
  private flow: Flow = openFlow
  private readonly holdTimer: Timer

  constructor(private readonly options: SenderOptions) {
    this.$outbox = atom<ops.Outbox>(options.restored)
    this.holdTimer = new Timer(options.clock, () => this.flush())
  }

  get outbox(): ReadableAtom<ops.Outbox> {
    return this.$outbox
  }

  get size(): number {
    return this.$outbox.get().length
  }

  find(clientId: string): ops.OutboxEntry | undefined {
    return this.$outbox.get().find((entry) => entry.clientId === clientId)
  }

  /**
   * Adds a message (with a file, which goes up before the message goes out); it goes out at once
   * if it can. Throws `outbox_full` past the limit.
   */
  enqueue(text: string, roomId: string | undefined, file?: ops.OutgoingFile, clientId: string = this.newClientId()): ops.OutboxEntry {
    const { clock } = this.options
    if (this.size >= ops.OUTBOX_LIMIT) throw new ChatError('outbox_full', `${this.size} messages are still waiting to be sent`)
    const entry: ops.OutboxEntry = {
      clientId,
      text,
      createdAt: clock.now(),
      state: 'pending',
      ...(roomId ? { roomId } : {}),
      ...(file ? { file } : {}),
    }
    this.set(ops.enqueue(this.$outbox.get(), entry))
    this.flush()
    return entry
  }

  /** A new message's id (a file's bytes are put away under it before the message is queued). */
  newClientId(): string {
    return randomId(this.options.clock.random)
  }

  retry(clientId: string): void {
    this.set(ops.markPending(this.$outbox.get(), clientId))
    this.flush()
  }

  /** Drops a failed entry the user gave up on. */
  discard(clientId: string): void {
    if (this.find(clientId)?.state !== 'failed') return
    this.set(ops.remove(this.$outbox.get(), clientId))
    this.options.dropped([clientId])
  }

  /**
   * Drops a message whose file has not reached the server yet (the user cancelled it); such a
   * message has never gone out. True when it was dropped.
   */
  cancel(clientId: string): boolean {
    const entry = this.find(clientId)
    if (!entry?.file || entry.file.uploaded) return false
    this.set(ops.remove(this.$outbox.get(), clientId))
    this.options.dropped([clientId])
    return true
  }

  /** The entry's file is on the server: the message goes out in its turn. */
  uploaded(clientId: string, attachment: Attachment): void {
    this.set(ops.markUploaded(this.$outbox.get(), clientId, attachment))
    this.flush()
  }

  /** The entry's file cannot go up (refused, or its bytes are gone): it is `failed` with the reason. */
  failUpload(clientId: string, error: WireError): void {
    this.set(ops.markFailed(this.$outbox.get(), clientId, error))
    this.options.failed(clientId)
    this.flush()
  }

  /** A visitor's unsent messages all belong to the conversation it has now. */
  moveToRoom(roomId: string): void {
    this.set(ops.moveToRoom(this.$outbox.get(), roomId))
  }

  /** The room is gone: what waited for it fails with `error` instead of waiting for ever. */
  failRoom(roomId: string, error: WireError): void {
    this.set(ops.failRoom(this.$outbox.get(), roomId, error))
  }

  /** Entries another tab handed on; they go out in send order with this tab's own. */
  adopt(entries: ops.Outbox): void {
    const held = new Set(this.$outbox.get().map((entry) => entry.clientId))
    const fresh = entries.filter((entry) => !held.has(entry.clientId))
    if (fresh.length === 0) return
    this.set(ops.mergeBySendTime(this.$outbox.get(), fresh))
    this.flush()
  }

  /** Entries this tab no longer holds (another tab took them over). */
  release(clientIds: ReadonlySet<string>): void {
    this.set(ops.removeAll(this.$outbox.get(), clientIds))
  }

  /**
   * The one place an entry leaves the outbox once sent: the server has its message. `shown`
   * says whether a message of the open room is really on screen, so a confused answer cannot
   * make a sent message vanish.
   */
  confirm(messages: readonly WireMessage[], shown: (message: WireMessage) => boolean): void {
    const userId = this.options.userId()
    const outbox = this.$outbox.get()
    if (!userId || outbox.length === 0) return
    const done = new Set<string>()
    for (const message of messages) {
      if (message.author.id === userId && shown(message)) done.add(message.clientId)
    }
    const next = ops.removeAll(outbox, done)
    if (next === outbox) return
    this.set(next)
    this.options.dropped(outbox.filter((entry) => entry.file && done.has(entry.clientId)).map((entry) => entry.clientId))
  }

  /** Sends what can go out now, or makes sure something will wake the outbox when it can. */
  flush(): void {
    const { link, clock } = this.options
    if (!this.options.canSend()) return
    const generation = link.generation
    const outbox = this.$outbox.get()
    const step = nextStep(this.flow, clock.now(), ops.inFlight(outbox, generation))
    if (step.kind === 'await_answers') return
    // Timers can fire a little before the clock reads their deadline; this asks again then.
    if (step.kind === 'wait') return this.holdTimer.arm(Math.max(1, step.ms))
    this.flow = released(this.flow)
    const entries = ops.sendable(outbox, generation)
    if (entries.length === 0) return
    this.set(ops.markSent(outbox, entries, generation))
    for (const entry of entries) {
      const attachmentId = entry.file?.uploaded?.id
      link.request('send_message', { roomId: entry.roomId!, clientId: entry.clientId, text: entry.text, ...(attachmentId && { attachmentId }) }).then(
        (ack) => this.answered(entry, generation, ack.ok ? ack.message : ack.error),
        // A timeout has already replaced the socket; a socket that closed first was replaced too.
        () => this.answered(entry, generation, undefined),
      )
    }
  }

  dispose(): void {
    this.holdTimer.disarm()
  }

  private answered(entry: ops.OutboxEntry, generation: number, answer: WireMessage | WireError | undefined): void {
    // Answers from a socket that is gone change nothing: its entries go out again on the new one.
    if (generation !== this.options.link.generation) return
    this.set(ops.markAnswered(this.$outbox.get(), entry.clientId))
    // Without an answer (a socket that refused the emit and is being replaced) it just goes again.
    if (answer && !('code' in answer)) this.accepted(entry, answer)
    else if (answer && TRANSIENT.has(answer.code)) this.holdBack(answer)
    else if (answer) {
      this.set(ops.markFailed(this.$outbox.get(), entry.clientId, answer))
      this.options.failed(entry.clientId)
    }
    this.flush()
  }

  private accepted(entry: ops.OutboxEntry, message: WireMessage): void {
    if (message.clientId !== entry.clientId || message.roomId !== entry.roomId || message.author.id !== this.options.userId()) {
      this.options.reportError(new ChatError('invalid_event', `send_message ack: the message returned is not the one sent (${entry.clientId})`))
      // Kept, and offered again after a pause: the server answers a repeat with its stored copy.
      return this.holdBack({ code: 'internal', message: 'answer for another message' })
    }
    this.flow = accepted(this.flow)
    this.options.delivered(message)
  }

  /** Not the message's fault: it stays pending and is offered again after a pause. */
  private holdBack(error: { code: string; message: string; retryAfterMs?: number | undefined }): void {
    const { clock, backoff } = this.options
    if (this.flow.holdUntil === undefined && error.code === 'rate_limited') this.options.reportError(new ChatError('rate_limited', error.message))
    this.flow = refused(this.flow, error.retryAfterMs, clock.now(), (round) => backoffDelay(round, backoff, clock.random))
  }

  private set(next: ops.Outbox): void {
    this.$outbox.set(next)
  }
}
