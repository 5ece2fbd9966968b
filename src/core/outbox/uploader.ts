/**
 * Gets the files of waiting messages to the server, one at a time in send order, while the client
 * is connected (the upload carries the session's credentials). An upload cut off, refused for the
 * moment or stalled is tried again after a backoff; one refused for good (too large, a type the
 * server does not take) fails its message with the server's reason. The server stores a repeated
 * upload of one message's file once, so trying again is always safe.
 */
import { atom } from 'nanostores'
import type { ReadableAtom } from 'nanostores'
import { check, ERROR_CODES, schemas, type Attachment, type ErrorCode, type WireError } from '../../protocol'
import { backoffDelay, type BackoffOptions } from '../connection/backoff'
import { ChatError } from '../errors'
import type { FileKeeper } from '../files/keeper'
import type { FileTransport, HttpAnswer, UploadCall } from '../transport/http-files'
import { Timer, type Clock } from '../util/clock'
import { nextUpload, type Outbox, type OutboxEntry } from './outbox'

/** An upload with no progress for this long is taken for cut off, and tried again. */
export const UPLOAD_STALL_MS = 30_000

/** Answers that no retry can change: the message fails with the server's reason. */
const FINAL: Record<number, ErrorCode> = { 400: 'bad_request', 403: 'forbidden', 404: 'not_found', 413: 'too_large', 415: 'unsupported_type' }

export interface UploadProgress {
  clientId: string
  /** 0 to 1. */
  fraction: number
}

export interface UploaderOptions {
  clock: Clock
  backoff: BackoffOptions
  outbox: ReadableAtom<Outbox>
  keeper: FileKeeper
  transport: FileTransport
  /** The keeper's key of a message's bytes. */
  keyOf(clientId: string): string
  /** Where a message's file goes. */
  url(entry: OutboxEntry): string
  /** The credentials header of the next request. */
  headers(): Promise<Record<string, string>>
  /** Connected: the credentials are current. */
  canUpload(): boolean
  uploaded(clientId: string, attachment: Attachment): void
  failed(clientId: string, error: WireError): void
  reportError(error: ChatError): void
}

export class Uploader {
  private readonly $progress = atom<UploadProgress | undefined>(undefined)
  private current: { clientId: string; call?: UploadCall; stopped: boolean } | undefined
  /** Failed tries in a row, for the backoff. */
  private attempts = 0
  private readonly retryTimer: Timer
  private readonly stallTimer: Timer
  private readonly unsubscribe: () => void

  constructor(private readonly options: UploaderOptions) {
    this.retryTimer = new Timer(options.clock, () => this.kick())
    this.stallTimer = new Timer(options.clock, () => this.stop('stalled'))
    // A file chosen, a message retried or cancelled: look again.
    this.unsubscribe = options.outbox.listen(() => this.kick())
  }

  /** The file going up now and how far it is. */
  get progress(): ReadableAtom<UploadProgress | undefined> {
    return this.$progress
  }

  /** Starts the next upload if there is one and nothing holds it back. */
  kick(): void {
    if (this.current) {
      // The message whose file is going up was cancelled (or failed).
      if (!this.waiting(this.current.clientId)) this.stop('cancelled')
      return
    }
    if (this.retryTimer.armed || !this.options.canUpload()) return
    const entry = nextUpload(this.options.outbox.get())
    if (entry) void this.upload(entry)
  }

  dispose(): void {
    this.unsubscribe()
    this.retryTimer.disarm()
    this.stop('disposed')
  }

  private stop(why: string): void {
    const current = this.current
    if (!current) return
    current.stopped = true
    this.stallTimer.disarm()
    current.call?.abort()
    if (why === 'stalled') this.options.reportError(new ChatError('timeout', `upload of ${current.clientId}: no progress for ${UPLOAD_STALL_MS / 1000} s`))
  }

  private async upload(entry: OutboxEntry): Promise<void> {
    const { keeper, transport } = this.options
    const current: NonNullable<Uploader['current']> = { clientId: entry.clientId, stopped: false }
    this.current = current
    this.$progress.set({ clientId: entry.clientId, fraction: 0 })
    let answer: HttpAnswer | undefined
    try {
      const bytes = await keeper.get(this.options.keyOf(entry.clientId))
      if (current.stopped) return
      if (!bytes) {
        return this.options.failed(entry.clientId, {
          code: 'not_found',
          message: keeper.durable ? 'The file is no longer on this device; choose it again' : 'The file was not kept when the page was reloaded; choose it again',
        })
      }
      const headers = await this.options.headers()
      if (current.stopped) return
      this.stallTimer.arm(UPLOAD_STALL_MS)
      current.call = transport.upload(this.options.url(entry), { ...headers, 'Content-Type': entry.file?.type || 'application/octet-stream' }, bytes, (loaded, total) => {
        if (current.stopped) return
        this.stallTimer.arm(UPLOAD_STALL_MS)
        this.$progress.set({ clientId: entry.clientId, fraction: total > 0 ? Math.min(1, loaded / total) : 0 })
      })
      answer = await current.call.done
    } catch (error) {
      // Cut off, stopped, or the credentials could not be had: tried again unless cancelled.
      if (!(error instanceof ChatError)) this.options.reportError(new ChatError('internal', `upload of ${entry.clientId}: ${String(error)}`))
    } finally {
      this.stallTimer.disarm()
      this.current = undefined
      this.$progress.set(undefined)
    }
    if (!current.stopped || answer) this.answered(entry, answer)
    else if (this.waiting(entry.clientId)) this.retryLater(undefined)
    this.kick()
  }

  /** The message is still waiting for its file to go up, to the room it was going to. */
  private waiting(clientId: string, roomId?: string): boolean {
    const entry = this.options.outbox.get().find((candidate) => candidate.clientId === clientId)
    return entry !== undefined && entry.state === 'pending' && entry.file !== undefined && !entry.file.uploaded && (roomId === undefined || entry.roomId === roomId)
  }

  private answered(entry: OutboxEntry, answer: HttpAnswer | undefined): void {
    if (!answer) return this.retryLater(undefined)
    const body = answer.body as { message?: unknown; error?: unknown; data?: { attachment?: unknown } } | undefined
    const message = typeof body?.message === 'string' ? body.message : `HTTP ${answer.status}`
    if (answer.status >= 200 && answer.status < 300) {
      const attachment = check(schemas.attachment, body?.data?.attachment)
      // The message moved to another conversation meanwhile (the server lost this one): up again, there.
      if (!this.waiting(entry.clientId, entry.roomId)) return
      if (attachment.ok) {
        this.attempts = 0
        return this.options.uploaded(entry.clientId, attachment.value)
      }
      this.options.reportError(new ChatError('invalid_event', `upload answer: ${attachment.reason}`))
      return this.retryLater(undefined)
    }
    const final = FINAL[answer.status]
    if (final) {
      this.attempts = 0
      const code = (ERROR_CODES as readonly unknown[]).includes(body?.error) ? (body!.error as ErrorCode) : final
      return this.options.failed(entry.clientId, { code, message })
    }
    // 401 (credentials changing under a reconnect), 429, 5xx: the moment, not the file.
    if (answer.status === 429) this.options.reportError(new ChatError('rate_limited', message))
    this.retryLater(answer.retryAfterMs)
  }

  private retryLater(retryAfterMs: number | undefined): void {
    const { backoff, clock } = this.options
    this.retryTimer.arm(Math.max(retryAfterMs ?? 0, backoffDelay(this.attempts++, backoff, clock.random)))
  }
}
