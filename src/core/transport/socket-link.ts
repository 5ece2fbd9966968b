/**
 * One live socket at a time, and the rules for trusting what comes over it. Every `open` makes a
 * new socket.io-client `Socket` with a Manager of its own, its reconnection off: when to reconnect
 * is the client's decision (backoff, network, page visibility), and a socket is never reused, so
 * nothing it buffered can go out later behind the outbox's back. Every `open` also starts a new
 * generation; events, answers and timeouts of an older one are ignored. Everything inbound is
 * validated before the client sees it, and a silent link (no heartbeat, no ack) is reported lost.
 */
import { Manager, type ManagerOptions, type Socket } from 'socket.io-client'
import type { GenericSchema } from 'valibot'
import {
  check,
  ERROR_CODES,
  schemas,
  type ErrorCode,
  type HandshakeAuth,
  type ServerToClientEvents,
  type SessionInfo,
} from '../../protocol'
import type { StatusReason } from '../connection/machine'
import { ChatError } from '../errors'
import { Timer, type Clock, type TimerId } from '../util/clock'
import { ACK_SCHEMAS, type AckOf, type NotificationName, type RequestName, type RequestOf } from './requests'
import { absoluteServerUrl } from './server-url'

/** Manager options that are the client's own policy, not the transport's. */
type OwnPolicy = 'reconnection' | 'reconnectionAttempts' | 'reconnectionDelay' | 'reconnectionDelayMax' | 'randomizationFactor' | 'autoConnect' | 'timeout' | 'parser'

/**
 * socket.io-client's Manager options (`transports`, `path`, `query`, `withCredentials`,
 * `extraHeaders`, …), plus how long a connection attempt may take before it counts as failed.
 */
export type SocketTuning = Partial<Omit<ManagerOptions, OwnPolicy>> & {
  /** Milliseconds from opening to the server's `session`. Default 20 000 (socket.io-client's). */
  timeout?: number
}

export type BroadcastName = Exclude<keyof ServerToClientEvents, 'session' | 'heartbeat'>
export type Broadcast = {
  [K in BroadcastName]: { name: K; payload: Parameters<ServerToClientEvents[K]>[0] }
}[BroadcastName]

export interface LinkListener {
  session(info: SessionInfo): void
  broadcast(event: Broadcast): void
  /** The link died; the caller decides when to open a new one. */
  lost(reason: StatusReason): void
  /** The server refused the handshake with this code. */
  refused(code: ErrorCode | undefined, message: string): void
  /** Something inbound failed validation and was dropped. */
  invalid(error: ChatError): void
}

export interface LinkOptions {
  url: string
  clock: Clock
  ackTimeoutMs: number
  /** Silence allowed beyond the server's heartbeat period before the link counts as dead. */
  heartbeatGraceMs: number
  socket?: SocketTuning | undefined
  /** Called before every connection attempt, so credentials can be refreshed. */
  auth: () => HandshakeAuth | Promise<HandshakeAuth>
  listener: LinkListener
}

type EventName = keyof ServerToClientEvents
const eventNames = new Set(Object.keys(schemas.broadcasts))

/** socket.io-client's default: a connection attempt that hangs is a failed one. */
const CONNECT_TIMEOUT_MS = 20_000

/** Why socket.io-client says a connected socket closed, as the client's status reasons. */
const CLOSE_REASONS: Record<string, StatusReason> = {
  'io server disconnect': 'server_closed',
  'ping timeout': 'heartbeat_timeout',
}

interface PendingRequest {
  timer: TimerId
  reject(error: ChatError): void
}

export class SocketLink {
  private socket: Socket | undefined
  private current = 0
  private sessionInfo: SessionInfo | undefined
  private readonly watchdog: Timer
  private readonly connectDeadline: Timer
  private readonly pending = new Set<PendingRequest>()

  constructor(private readonly options: LinkOptions) {
    this.watchdog = new Timer(options.clock, () => this.fail(this.current, 'heartbeat_timeout'))
    this.connectDeadline = new Timer(options.clock, () => this.fail(this.current, 'connect_error'))
  }

  /** Counts sockets: whatever was sent or started on another generation belongs to a dead socket. */
  get generation(): number {
    return this.current
  }

  /** What the server said about this connection, once it has; undefined on no or a dead socket. */
  get session(): SessionInfo | undefined {
    return this.sessionInfo
  }

  open(): void {
    this.close()
    const generation = ++this.current
    const { timeout, ...tuning } = this.options.socket ?? {}
    const live = () => generation === this.current
    const manager = new Manager(absoluteServerUrl(this.options.url), { ...tuning, reconnection: false, autoConnect: false })
    // The attempt's deadline is ours, on the injected clock, and runs until `session`.
    manager.timeout(false)
    const socket = manager.socket('/', {
      auth: (send) => {
        Promise.resolve()
          .then(() => this.options.auth())
          .then(
            (auth) => live() && send(auth),
            () => this.fail(generation, 'connect_error'),
          )
      },
    })
    this.socket = socket
    this.connectDeadline.arm(timeout ?? CONNECT_TIMEOUT_MS)
    // Any frame proves the link alive, engine.io's own pings included.
    manager.on('ping', () => live() && this.feedWatchdog())
    manager.on('packet', () => live() && this.feedWatchdog())
    socket.on('connect_error', (error: Error & { data?: unknown }) => live() && this.connectFailed(generation, error))
    socket.on('disconnect', (reason) => live() && this.closed(generation, reason))
    socket.onAny((name: unknown, payload: unknown) => live() && this.onEvent(generation, name, payload))
    socket.connect()
  }

  close(): void {
    this.current++
    this.sessionInfo = undefined
    this.watchdog.disarm()
    this.connectDeadline.disarm()
    for (const request of this.pending) {
      this.options.clock.clearTimeout(request.timer)
      request.reject(new ChatError('not_connected', 'the connection closed before the answer came'))
    }
    this.pending.clear()
    const socket = this.socket
    this.socket = undefined
    // Says goodbye (a DISCONNECT) when connected, and closes the Manager's transport with it.
    socket?.disconnect()
  }

  /**
   * Sends a request and resolves with the server's validated answer, `ok` or not. Rejects with
   * `not_connected` when there is no ready socket or it closes first, and with `timeout` when no
   * answer comes in time (the link is then reported lost: a server that does not answer is as
   * good as gone).
   */
  request<K extends RequestName>(event: K, payload: RequestOf<K>): Promise<AckOf<K>> {
    const generation = this.current
    const { clock, ackTimeoutMs, listener } = this.options
    return new Promise((resolve, reject) => {
      const request: PendingRequest = {
        reject,
        timer: clock.setTimeout(() => {
          this.pending.delete(request)
          reject(new ChatError('timeout', `${event}: no answer within ${ackTimeoutMs} ms`))
          this.fail(generation, 'ack_timeout')
        }, ackTimeoutMs),
      }
      this.pending.add(request)
      const sent = this.emit(generation, event, payload, (raw: unknown) => {
        if (!this.pending.delete(request)) return
        clock.clearTimeout(request.timer)
        const result = check(ACK_SCHEMAS[event] as GenericSchema<AckOf<K>>, raw)
        if (result.ok) return resolve(result.value)
        const error = new ChatError('invalid_event', `${event} ack: ${result.reason}`)
        listener.invalid(error)
        reject(error)
      })
      if (sent) return
      this.pending.delete(request)
      clock.clearTimeout(request.timer)
      reject(new ChatError('not_connected', `${event}: not connected`))
    })
  }

  /** Fire-and-forget; dropped when not connected (callers resend state on the next join). */
  notify<K extends NotificationName>(event: K, payload: RequestOf<K>): void {
    this.emit(this.current, event, payload)
  }

  /**
   * Emits on the current socket only while it is connected, and never lets socket.io-client keep
   * a copy: it buffers a packet when its engine's heartbeat deadline passed while timers slept (a
   * suspended laptop). Such a socket is dead; the buffer is dropped with it, and whatever was in
   * it is the outbox's to send again on the next socket.
   */
  private emit(generation: number, event: string, payload: unknown, answer?: (raw: unknown) => void): boolean {
    const socket = this.socket
    if (!socket || !socket.connected || !this.sessionInfo || generation !== this.current) return false
    if (answer) socket.emit(event, payload, answer)
    else socket.emit(event, payload)
    if (socket.sendBuffer.length === 0) return true
    socket.sendBuffer = []
    this.fail(generation, 'heartbeat_timeout')
    return false
  }

  private connectFailed(generation: number, error: Error & { data?: unknown }): void {
    const data = error.data as { code?: unknown; message?: unknown } | null | undefined
    const code = data?.code
    // Without a code it is the transport that failed (no server, a proxy's error page…).
    if (!code) return this.fail(generation, 'connect_error')
    this.close()
    const text = typeof data.message === 'string' ? data.message : error.message
    this.options.listener.refused(ERROR_CODES.includes(code as ErrorCode) ? (code as ErrorCode) : undefined, text)
  }

  private closed(generation: number, reason: string): void {
    // socket.io-client closes on a packet it cannot parse; what follows may be garbled.
    if (reason === 'parse error') this.options.listener.invalid(new ChatError('invalid_event', 'unreadable packet from the server'))
    this.fail(generation, CLOSE_REASONS[reason] ?? 'transport_closed')
  }

  private onEvent(generation: number, name: unknown, raw: unknown): void {
    // Events this client does not know are ignored: a newer server may say more.
    if (typeof name !== 'string' || !eventNames.has(name)) return
    const { listener } = this.options
    const event = name as EventName
    // Every event is checked, the heartbeat too, though any frame already fed the watchdog.
    const result = check(schemas.broadcasts[event] as GenericSchema<unknown>, raw)
    if (!result.ok) {
      listener.invalid(new ChatError('invalid_event', `${event}: ${result.reason}`))
      // Nothing works without a session: this attempt failed.
      if (event === 'session') this.fail(generation, 'connect_error')
    } else if (event === 'session') {
      this.sessionInfo = result.value as SessionInfo
      this.connectDeadline.disarm()
      this.feedWatchdog()
      listener.session(this.sessionInfo)
    } else if (event !== 'heartbeat') listener.broadcast({ name: event, payload: result.value } as Broadcast)
  }

  private feedWatchdog(): void {
    if (!this.sessionInfo) return
    this.watchdog.arm(this.sessionInfo.heartbeatMs + this.options.heartbeatGraceMs)
  }

  private fail(generation: number, reason: StatusReason): void {
    if (generation !== this.current) return
    this.close()
    this.options.listener.lost(reason)
  }
}
