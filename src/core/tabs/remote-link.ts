/**
 * A follower tab's link: the leader tab's socket, reached over the tabs' channel. It behaves as
 * a socket would for the rest of the client: `open` asks the leader for its session, requests go
 * out through the leader and their answers come back, everything the server says is passed on,
 * and it is lost when the leader's socket is, when the leader leaves, or when another tab takes
 * the lead. Each `open` is a new generation; answers to an older one are dropped. What arrives is
 * checked with the same schemas as what a socket delivers.
 */
import type { GenericSchema } from 'valibot'
import { check, schemas, type SessionInfo } from '../../protocol'
import type { StatusReason } from '../connection/machine'
import { ChatError, type ChatErrorCode } from '../errors'
import type { Link } from '../transport/link'
import { ACK_SCHEMAS, type AckOf, type NotificationName, type RequestName, type RequestOf } from '../transport/requests'
import type { Broadcast, LinkListener } from '../transport/socket-link'
import { Timer, type Clock, type TimerId } from '../util/clock'
import type { TabMessage } from './tab-messages'

export interface RemoteLinkOptions {
  tabId: string
  /** Posts on the tabs' channel (the current one: a tab that changes its group changes channel). */
  post(message: TabMessage): void
  clock: Clock
  ackTimeoutMs: number
  /** How long the leader may take to give a session before the attempt counts as failed. */
  connectTimeoutMs: number
  listener: Pick<LinkListener, 'session' | 'broadcast' | 'lost' | 'invalid'>
}

interface Pending {
  timer: TimerId
  resolve(ack: unknown): void
  reject(error: ChatError): void
  event: RequestName
}

export class RemoteLink implements Link {
  private current = 0
  private opened = false
  private sessionInfo: SessionInfo | undefined
  private leader: string | undefined
  /** The leader's socket this tab's session came from. */
  private epoch = -1
  private nextId = 0
  private readonly pending = new Map<number, Pending>()
  private readonly deadline: Timer

  constructor(private readonly options: RemoteLinkOptions) {
    this.deadline = new Timer(options.clock, () => this.fail('connect_error'))
  }

  get generation(): number {
    return this.current
  }

  get session(): SessionInfo | undefined {
    return this.sessionInfo
  }

  open(): void {
    this.close()
    this.opened = true
    this.deadline.arm(this.options.connectTimeoutMs)
    this.post({ t: 'hello', from: this.options.tabId })
  }

  close(): void {
    this.current++
    this.opened = false
    this.sessionInfo = undefined
    this.leader = undefined
    this.deadline.disarm()
    for (const request of this.pending.values()) {
      this.options.clock.clearTimeout(request.timer)
      request.reject(new ChatError('not_connected', 'the leader tab’s connection closed before the answer came'))
    }
    this.pending.clear()
  }

  request<K extends RequestName>(event: K, payload: RequestOf<K>): Promise<AckOf<K>> {
    const { clock, ackTimeoutMs, tabId } = this.options
    if (!this.sessionInfo) return Promise.reject(new ChatError('not_connected', `${event}: not connected`))
    const id = ++this.nextId
    return new Promise((resolve, reject) => {
      const timer = clock.setTimeout(() => {
        this.pending.delete(id)
        reject(new ChatError('timeout', `${event}: no answer within ${ackTimeoutMs} ms`))
        this.fail('ack_timeout')
      }, ackTimeoutMs)
      this.pending.set(id, { timer, resolve: resolve as (ack: unknown) => void, reject, event })
      this.post({ t: 'request', from: tabId, id, event, payload })
    })
  }

  notify<K extends NotificationName>(event: K, payload: RequestOf<K>): void {
    if (this.sessionInfo) this.post({ t: 'notify', from: this.options.tabId, event, payload })
  }

  /** A message from another tab; the tab link routes every follower-bound message here. */
  receive(message: TabMessage): void {
    if (!this.opened) return
    const { tabId, listener } = this.options
    switch (message.t) {
      case 'session': {
        if (message.to !== undefined && message.to !== tabId) return
        // Another socket at the leader (or another leader): the one this tab had is gone.
        if (this.sessionInfo) return message.epoch === this.epoch && message.leader === this.leader ? undefined : this.fail('transport_closed')
        const result = check(schemas.broadcasts.session as GenericSchema<SessionInfo>, message.info)
        if (!result.ok) return listener.invalid(new ChatError('invalid_event', `session from the leader tab: ${result.reason}`))
        this.sessionInfo = result.value
        this.leader = message.leader
        this.epoch = message.epoch
        this.deadline.disarm()
        return listener.session(result.value)
      }
      case 'lost':
        if (this.sessionInfo && message.leader === this.leader && message.epoch === this.epoch) this.fail(message.reason)
        return
      case 'leader':
        // Another tab leads now: this tab's requests went to the one before.
        if (this.sessionInfo) return this.fail('transport_closed')
        return this.post({ t: 'hello', from: tabId })
      case 'bye':
        if (message.leader === this.leader) this.fail('transport_closed')
        return
      case 'answer':
        if (message.to === tabId) this.answered(message)
        return
      case 'broadcast': {
        if (!this.sessionInfo || message.leader !== this.leader || message.except === tabId) return
        const { name, payload } = message.event
        const schema = (schemas.broadcasts as Record<string, GenericSchema<unknown>>)[name]
        const result = schema ? check(schema, payload) : { ok: false as const, reason: `unknown event ${name}` }
        if (result.ok) listener.broadcast({ name, payload: result.value } as Broadcast)
        else listener.invalid(new ChatError('invalid_event', `${name} from the leader tab: ${result.reason}`))
        return
      }
    }
  }

  private answered(message: Extract<TabMessage, { t: 'answer' }>): void {
    const request = this.pending.get(message.id)
    if (!request) return
    this.pending.delete(message.id)
    this.options.clock.clearTimeout(request.timer)
    if (message.error) return request.reject(new ChatError(message.error.code as ChatErrorCode, message.error.message))
    const result = check(ACK_SCHEMAS[request.event] as GenericSchema<unknown>, message.ack)
    if (result.ok) return request.resolve(result.value)
    const error = new ChatError('invalid_event', `${request.event} ack from the leader tab: ${result.reason}`)
    this.options.listener.invalid(error)
    request.reject(error)
  }

  private post(message: TabMessage): void {
    this.options.post(message)
  }

  private fail(reason: StatusReason): void {
    if (!this.opened) return
    this.close()
    this.options.listener.lost(reason)
  }
}
