/**
 * Runs the connection state machine: feeds it events from the page and the socket, carries out
 * its effects (open, close, the retry and minimum-uptime timers on the injected clock) and
 * publishes the status. What opening and closing a socket means is the caller's (`hooks`).
 */
import { atom, type ReadableAtom } from 'nanostores'
import { Timer, type Clock } from '../util/clock'
import type { Environment } from '../util/environment'
import { backoffDelay, type BackoffOptions } from './backoff'
import {
  initialConnectionState,
  transition,
  type ConnectionEffect,
  type ConnectionEvent,
  type ConnectionState,
  type ConnectionStatus,
  type StatusChange,
} from './machine'

export interface ConnectionHooks {
  /** Open a new socket; any socket before it is gone. */
  open(): void
  /** Close the socket. */
  close(): void
  /** The status changed; called after the stores are updated. */
  changed(change: StatusChange): void
}

export interface ConnectionOptions {
  clock: Clock
  environment: Environment
  backoff: BackoffOptions
  minUptimeMs: number
  hooks: ConnectionHooks
}

export class Connection {
  private readonly $status = atom<ConnectionStatus>('disconnected')
  private readonly $failures = atom(0)
  private state: ConnectionState = initialConnectionState
  private readonly retryTimer: Timer
  private readonly stableTimer: Timer
  private unsubscribe: (() => void)[] = []

  constructor(private readonly options: ConnectionOptions) {
    this.retryTimer = new Timer(options.clock, () => this.dispatch({ type: 'retry' }))
    this.stableTimer = new Timer(options.clock, () => this.dispatch({ type: 'stable' }))
  }

  get status(): ReadableAtom<ConnectionStatus> {
    return this.$status
  }

  /** Connection attempts that failed in a row since the link was last up. */
  get failures(): ReadableAtom<number> {
    return this.$failures
  }

  get connected(): boolean {
    return this.state.status === 'connected'
  }

  /** Starts connecting and following the page's online and visibility signals. */
  start(): void {
    if (this.state.status !== 'disconnected') return
    const { environment } = this.options
    this.unsubscribe = [
      environment.onOnlineChange((online) => this.dispatch({ type: online ? 'online' : 'offline' })),
      environment.onVisible(() => this.dispatch({ type: 'wake' })),
    ]
    this.dispatch({ type: 'start' })
    if (!environment.isOnline()) this.dispatch({ type: 'offline' })
  }

  stop(): void {
    this.unsubscribe.forEach((unsubscribe) => unsubscribe())
    this.unsubscribe = []
    this.dispatch({ type: 'stop' })
  }

  dispatch(event: ConnectionEvent): void {
    const prev = this.state
    const result = transition(prev, event)
    this.state = result.state
    for (const effect of result.effects) this.perform(effect)
    this.$failures.set(result.state.failures)
    if (result.state.status === prev.status) return
    this.$status.set(result.state.status)
    this.options.hooks.changed({ prev: prev.status, next: result.state.status, reason: result.reason ?? 'transport_closed' })
  }

  private perform(effect: ConnectionEffect): void {
    const { hooks, clock, backoff, minUptimeMs } = this.options
    switch (effect.type) {
      case 'open':
        return hooks.open()
      case 'close':
        return hooks.close()
      case 'schedule_retry':
        return this.retryTimer.arm(backoffDelay(effect.attempt, backoff, clock.random))
      case 'cancel_retry':
        return this.retryTimer.disarm()
      case 'arm_stable':
        return this.stableTimer.arm(minUptimeMs)
      case 'disarm_stable':
        return this.stableTimer.disarm()
    }
  }
}
