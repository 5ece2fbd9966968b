/**
 * One live socket at a time, and the rules for trusting what comes over it. Every `open` starts
 * a new generation; events, acks and timeouts of an older generation are ignored, so a slow
 * answer from a dead socket can never act on the new one. Everything inbound is validated
 * before the client sees it, and a silent link (no heartbeat, no ack) is reported as lost.
 */
import { Socket as EngineSocket, type SocketOptions as EngineOptions } from 'engine.io-client'
import type { GenericSchema } from 'valibot'
import {
  check,
  ERROR_CODES,
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
import { absoluteServerUrl } from './server-url'
import {
  ACK,
  CONNECT,
  CONNECT_ERROR,
  DISCONNECT,
  EVENT,
  connectPacket,
  decodePacket,
  disconnectPacket,
  eventPacket,
} from './socket-io-protocol'

/**
 * engine.io-client's options (`transports`, `path`, `query`, `withCredentials`, …), plus how long
 * a connection attempt may take before it counts as failed.
 */
export type SocketTuning = EngineOptions & {
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
  socket?: SocketTuning
  /** Called before every connection attempt, so credentials can be refreshed. */
  auth: () => HandshakeAuth | Promise<HandshakeAuth>
  listener: LinkListener
}

type AckSchema<T> = GenericSchema<{ ok: true } & T | { ok: false; error: WireError }>

type EventName = keyof ServerToClientEvents
const eventNames = Object.keys(schemas.broadcasts) as EventName[]

/** socket.io-client's default: a connection attempt that hangs is a failed one. */
const CONNECT_TIMEOUT_MS = 20_000

export class SocketLink {
  private engine: EngineSocket | undefined
  /** The server accepted our CONNECT on the current engine socket. */
  private connected = false
  private generation = 0
  private session: SessionInfo | undefined
  private readonly watchdog: Timer
  private readonly connectDeadline: Timer
  private nextAckId = 0
  private readonly pendingAcks = new Map<number, { timer: TimerId; answer: (raw: unknown) => void }>()

  constructor(private readonly options: LinkOptions) {
    this.watchdog = new Timer(options.clock, () => this.fail(this.generation, 'heartbeat_timeout'))
    this.connectDeadline = new Timer(options.clock, () => this.fail(this.generation, 'connect_error'))
  }

  /** True once the server has sent `session` on the current socket. */
  get ready(): boolean {
    return this.session !== undefined && this.connected
  }

  open(): void {
    this.close()
    const generation = ++this.generation
    const { url, socket: tuning } = this.options
    const current = () => generation === this.generation
    // Socket.IO serves engine.io under /socket.io/. Reconnection is ours (backoff, online,
    // visibility); engine.io has no policy of its own to fight it, and no send buffer that
    // outlives a socket behind the outbox's back.
    const engine = new EngineSocket(absoluteServerUrl(url), { path: '/socket.io', ...tuning })
    this.engine = engine
    this.connectDeadline.arm(tuning?.timeout ?? CONNECT_TIMEOUT_MS)
    // Handled a microtask later, in arrival order: a listener that throws cannot break
    // engine.io's transport loop, and a DISCONNECT is read before the close that follows it.
    const later = (handle: () => void) => queueMicrotask(() => current() && handle())

    engine.on('open', () => {
      Promise.resolve()
        .then(() => this.options.auth())
        .then(
          (auth) => current() && engine.send(connectPacket(auth)),
          () => this.fail(generation, 'connect_error'),
        )
    })
    // Any frame proves the link alive, including engine.io's own pings.
    engine.on('packet', () => current() && this.feedWatchdog())
    engine.on('message', (data) => later(() => this.receive(generation, data)))
    // Before the server accepted us an error is a failed attempt; after that, the close that
    // always follows an error says what happened.
    engine.on('error', () => later(() => this.connected || this.fail(generation, 'connect_error')))
    engine.on('close', () => later(() => this.fail(generation, 'transport_closed')))
  }

  close(): void {
    this.generation++
    this.session = undefined
    this.watchdog.disarm()
    this.connectDeadline.disarm()
    for (const { timer } of this.pendingAcks.values()) this.options.clock.clearTimeout(timer)
    this.pendingAcks.clear()
    const engine = this.engine
    this.engine = undefined
    // The engine keeps its own listeners: it needs them to finish closing (and to drop an
    // upgrade probe). Ours check the generation, so nothing from it reaches the client again.
    if (engine && this.connected) engine.send(disconnectPacket)
    this.connected = false
    engine?.close()
  }

  /**
   * Sends a request and resolves with the server's validated ack, `ok` or not. Rejects with
   * `not_connected` when there is no ready socket and `timeout` when no ack comes in time (the
   * link is then reported lost: a server that does not answer is as good as gone).
   */
  request<T extends object>(event: string, payload: unknown, schema: AckSchema<T>): Promise<({ ok: true } & T) | { ok: false; error: WireError }> {
    const engine = this.writable()
    if (!engine) return Promise.reject(new ChatError('not_connected', `${event}: not connected`))
    const generation = this.generation
    const { clock, ackTimeoutMs } = this.options
    const id = this.nextAckId++
    return new Promise((resolve, reject) => {
      const timer = clock.setTimeout(() => {
        this.pendingAcks.delete(id)
        reject(new ChatError('timeout', `${event}: no answer within ${ackTimeoutMs} ms`))
        this.fail(generation, 'ack_timeout')
      }, ackTimeoutMs)
      this.pendingAcks.set(id, {
        timer,
        answer: (raw) => {
          const result = check(schema, raw)
          if (result.ok) resolve(result.value)
          else {
            const error = new ChatError('invalid_event', `${event} ack: ${result.reason}`)
            this.options.listener.invalid(error)
            reject(error)
          }
        },
      })
      engine.send(eventPacket(event, payload, id))
    })
  }

  /** Fire-and-forget; dropped when not connected (callers resend state on the next join). */
  notify(event: string, payload: unknown): void {
    this.writable()?.send(eventPacket(event, payload))
  }

  /**
   * The engine socket when it can take a packet now. One whose heartbeat deadline passed while
   * timers slept (a suspended laptop) is dead already; engine.io closes it on the next tick.
   */
  private writable(): EngineSocket | undefined {
    const engine = this.engine
    return engine && this.ready && !engine._hasPingExpired() ? engine : undefined
  }

  private receive(generation: number, message: unknown): void {
    const packet = decodePacket(message)
    if (!packet) {
      // socket.io-client closes on a packet it cannot parse too: what follows may be garbled.
      this.options.listener.invalid(new ChatError('invalid_event', `unreadable packet: ${String(message).slice(0, 40)}`))
      this.fail(generation, 'transport_closed')
      return
    }
    switch (packet.type) {
      case CONNECT:
        // No sid: not a Socket.IO v3+ server.
        if (typeof packet.data.sid === 'string') this.connected = true
        else this.fail(generation, 'connect_error')
        return
      case CONNECT_ERROR:
        return this.refused(generation, packet.data)
      case DISCONNECT:
        return this.fail(generation, 'server_closed')
      case ACK: {
        // An answer nobody waits for (late, or made up) is dropped, as socket.io-client does.
        const id = packet.id ?? -1
        const pending = this.pendingAcks.get(id)
        if (!pending) return
        this.pendingAcks.delete(id)
        this.options.clock.clearTimeout(pending.timer)
        pending.answer(packet.data[0])
        return
      }
      case EVENT:
        if (this.connected) this.onEvent(generation, packet.data[0], packet.data[1])
    }
  }

  /** The server refused the handshake; `data.code` says whether retrying can help. */
  private refused(generation: number, details: unknown): void {
    const { message, data } = (details ?? {}) as { message?: unknown; data?: { code?: unknown; message?: unknown } | null }
    const code = data?.code
    if (!code) return this.fail(generation, 'connect_error')
    this.close()
    const text = typeof data.message === 'string' ? data.message : typeof message === 'string' ? message : ''
    this.options.listener.refused(ERROR_CODES.includes(code as ErrorCode) ? (code as ErrorCode) : undefined, text)
  }

  private onEvent(generation: number, name: unknown, raw: unknown): void {
    // Events this client does not know are ignored: a newer server may say more.
    if (!eventNames.includes(name as EventName)) return
    const { listener } = this.options
    // Every event is checked, the heartbeat too, though any frame already fed the watchdog.
    const result = check(schemas.broadcasts[name as EventName] as GenericSchema<unknown>, raw)
    if (!result.ok) {
      listener.invalid(new ChatError('invalid_event', `${name as EventName}: ${result.reason}`))
      // Nothing works without a session: this attempt failed.
      if (name === 'session') this.fail(generation, 'connect_error')
    } else if (name === 'session') {
      this.session = result.value as SessionInfo
      this.connectDeadline.disarm()
      this.feedWatchdog()
      listener.session(this.session)
    } else if (name !== 'heartbeat') listener.broadcast({ name, payload: result.value } as Broadcast)
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
