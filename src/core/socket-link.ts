/**
 * One live socket at a time, and the rules for trusting what comes over it. Every `open` starts
 * a new generation; events, acks and timeouts of an older generation are ignored, so a slow
 * answer from a dead socket can never act on the new one. Everything inbound is validated
 * before the client sees it, and a silent link (no heartbeat, no ack) is reported as lost.
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client'
import type { GenericSchema } from 'valibot'
import {
  check,
  schemas,
  type ErrorCode,
  type HandshakeAuth,
  type ServerToClientEvents,
  type SessionInfo,
  type WireError,
} from '../protocol'
import { Timer, type Clock, type TimerId } from './clock'
import type { StatusReason } from './connection-state'
import { ChatError } from './errors'

export type SocketTuning = Partial<ManagerOptions & SocketOptions>

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
  socket?: SocketTuning
  /** Called before every connection attempt, so credentials can be refreshed. */
  auth: () => HandshakeAuth | Promise<HandshakeAuth>
  listener: LinkListener
}

type AckSchema<T> = GenericSchema<{ ok: true } & T | { ok: false; error: WireError }>

const broadcastNames = Object.keys(schemas.broadcasts).filter(
  (name): name is BroadcastName => name !== 'session' && name !== 'heartbeat',
)

export class SocketLink {
  private socket: Socket | undefined
  private generation = 0
  private session: SessionInfo | undefined
  private readonly watchdog: Timer
  private readonly pendingAcks = new Set<TimerId>()

  constructor(private readonly options: LinkOptions) {
    this.watchdog = new Timer(options.clock, () => this.fail(this.generation, 'heartbeat_timeout'))
  }

  /** True once the server has sent `session` on the current socket. */
  get ready(): boolean {
    return this.session !== undefined && this.socket?.connected === true
  }

  open(): void {
    this.close()
    const generation = ++this.generation
    const { url, socket: tuning, listener } = this.options
    const socket = io(url, {
      ...tuning,
      // Reconnection is ours (backoff, online, visibility); a second policy inside socket.io
      // would fight it and could replay its own send buffer behind the outbox's back.
      reconnection: false,
      forceNew: true,
      autoConnect: false,
      auth: (cb) => {
        Promise.resolve()
          .then(() => this.options.auth())
          .then(
            (auth) => generation === this.generation && cb(auth as unknown as Record<string, unknown>),
            () => this.fail(generation, 'connect_error'),
          )
      },
    })
    this.socket = socket
    const current = () => generation === this.generation

    socket.on('connect_error', (err: Error & { data?: { code?: ErrorCode; message?: string } }) => {
      if (!current()) return
      const code = err.data?.code
      if (code) listener.refused(code, err.data?.message ?? err.message)
      else this.fail(generation, 'connect_error')
    })
    socket.on('disconnect', (reason) => {
      if (!current() || reason === 'io client disconnect') return
      this.fail(generation, reason === 'io server disconnect' ? 'server_closed' : 'transport_closed')
    })
    // Any frame proves the link alive, including engine.io's own pings.
    socket.io.on('ping', () => current() && this.feedWatchdog())
    socket.onAny(() => current() && this.feedWatchdog())

    socket.on('session', (raw: unknown) => {
      if (!current()) return
      const result = check(schemas.broadcasts.session, raw)
      if (!result.ok) {
        listener.invalid(new ChatError('invalid_event', `session: ${result.reason}`))
        this.fail(generation, 'connect_error')
        return
      }
      this.session = result.value
      this.feedWatchdog()
      listener.session(result.value)
    })
    // Any frame feeds the watchdog; a heartbeat is still checked like everything else.
    socket.on('heartbeat', (raw: unknown) => {
      if (!current()) return
      const result = check(schemas.broadcasts.heartbeat, raw)
      if (!result.ok) listener.invalid(new ChatError('invalid_event', `heartbeat: ${result.reason}`))
    })
    for (const name of broadcastNames) {
      socket.on(name, (raw: unknown) => {
        if (!current()) return
        const result = check(schemas.broadcasts[name] as GenericSchema<unknown>, raw)
        if (result.ok) listener.broadcast({ name, payload: result.value } as Broadcast)
        else listener.invalid(new ChatError('invalid_event', `${name}: ${result.reason}`))
      })
    }
    socket.connect()
  }

  close(): void {
    this.generation++
    this.session = undefined
    this.watchdog.disarm()
    for (const timer of this.pendingAcks) this.options.clock.clearTimeout(timer)
    this.pendingAcks.clear()
    const socket = this.socket
    this.socket = undefined
    if (socket) {
      socket.removeAllListeners()
      socket.offAny()
      socket.io.removeAllListeners()
      socket.disconnect()
    }
  }

  /**
   * Sends a request and resolves with the server's validated ack, `ok` or not. Rejects with
   * `not_connected` when there is no ready socket and `timeout` when no ack comes in time (the
   * link is then reported lost: a server that does not answer is as good as gone).
   */
  request<T extends object>(event: string, payload: unknown, schema: AckSchema<T>): Promise<({ ok: true } & T) | { ok: false; error: WireError }> {
    const socket = this.socket
    if (!socket || !this.ready) return Promise.reject(new ChatError('not_connected', `${event}: not connected`))
    const generation = this.generation
    const { clock, ackTimeoutMs } = this.options
    return new Promise((resolve, reject) => {
      const timer = clock.setTimeout(() => {
        this.pendingAcks.delete(timer)
        reject(new ChatError('timeout', `${event}: no answer within ${ackTimeoutMs} ms`))
        this.fail(generation, 'ack_timeout')
      }, ackTimeoutMs)
      this.pendingAcks.add(timer)
      socket.emit(event, payload, (raw: unknown) => {
        if (generation !== this.generation) return
        clock.clearTimeout(timer)
        this.pendingAcks.delete(timer)
        const result = check(schema, raw)
        if (result.ok) resolve(result.value)
        else {
          const error = new ChatError('invalid_event', `${event} ack: ${result.reason}`)
          this.options.listener.invalid(error)
          reject(error)
        }
      })
    })
  }

  /** Fire-and-forget; dropped when not connected (callers resend state on the next join). */
  notify(event: string, payload: unknown): void {
    if (this.socket && this.ready) this.socket.emit(event, payload)
  }

  private feedWatchdog(): void {
    if (!this.session) return
    this.watchdog.arm(this.session.heartbeatMs + this.options.heartbeatGraceMs)
  }

  private fail(generation: number, reason: StatusReason): void {
    if (generation !== this.generation) return
    this.close()
    this.options.listener.lost(reason)
  }
}
