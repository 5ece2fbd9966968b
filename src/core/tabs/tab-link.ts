/**
 * One connection for all tabs of a visitor. Tabs of one group (same storage key and identity)
 * elect a leader with a lock: the first tab to connect takes it and opens the socket; the others
 * wait in line for it and use the leader's socket over the channel (`RemoteLink`). The leader
 * serves them: it hands them its session, sends their requests and returns the answers, and
 * passes on everything the server says. The server does not send a message back to the socket it
 * came from, so the leader also passes each message sent through it to the other tabs. When the
 * leader closes, the browser gives the lock to the next tab at once: it drops the leader's socket
 * as lost and opens its own, and the other tabs rejoin through it. Unsent messages are each tab's
 * own and survive any of this: they stay in the tab's outbox record (or are taken over from a
 * closed tab's) and go again on the new socket; the server keeps each clientId once.
 */
import type { StatusReason } from '../connection/machine'
import { ChatError } from '../errors'
import { ACK_SCHEMAS, type AckOf, type NotificationName, type RequestName, type RequestOf } from '../transport/requests'
import { SocketLink, type Broadcast } from '../transport/socket-link'
import { RemoteLink } from './remote-link'
import type { TabChannel, TabCoordination } from './tab-coordination'
import { isTabMessage, type TabMessage } from './tab-messages'
import type { SharedLink, SharedLinkOptions } from './tab-sharing'

export interface TabLinkOptions extends SharedLinkOptions {
  tabs: TabCoordination
}

type Mode = 'idle' | 'deciding' | 'leader' | 'follower'

export class TabLink implements SharedLink {
  private readonly socket: SocketLink
  private readonly remote: RemoteLink
  private mode: Mode = 'idle'
  /** The client wants a connection (between its `open` and its `close`). */
  private wanted = false
  private group: string
  private channel: TabChannel | undefined
  private unlisten: (() => void) | undefined
  private election: AbortController | undefined
  private resign: (() => void) | undefined
  /** Counts the leader's sockets that got a session, so followers can tell one from the next. */
  private epoch = 0

  constructor(private readonly options: TabLinkOptions) {
    const { listener, tabId } = options
    this.group = options.group
    this.socket = new SocketLink({
      ...options,
      listener: {
        ...listener,
        session: (info) => {
          this.epoch++
          this.post({ t: 'session', leader: tabId, epoch: this.epoch, info })
          listener.session(info)
        },
        broadcast: (event) => {
          this.post({ t: 'broadcast', leader: tabId, event })
          listener.broadcast(event)
        },
        lost: (reason) => {
          this.post({ t: 'lost', leader: tabId, epoch: this.epoch, reason })
          listener.lost(reason)
        },
      },
    })
    this.remote = new RemoteLink({ ...options, post: (message) => this.post(message), listener })
  }

  /** Both counters only grow, so their sum changes whenever either link does. */
  get generation(): number {
    return this.socket.generation + this.remote.generation
  }

  get session() {
    return this.mode === 'leader' ? this.socket.session : this.mode === 'follower' ? this.remote.session : undefined
  }

  /** Whether this tab holds the connection for its group (for tests and diagnostics). */
  get leading(): boolean {
    return this.mode === 'leader'
  }

  open(): void {
    this.wanted = true
    if (this.mode === 'idle') this.elect()
    else if (this.mode === 'leader') this.socket.open()
    else if (this.mode === 'follower') this.remote.open()
  }

  close(): void {
    this.wanted = false
    // Followers would otherwise learn only from a timeout that this socket is gone.
    if (this.mode === 'leader' && this.socket.session) this.post({ t: 'lost', leader: this.options.tabId, epoch: this.epoch, reason: 'transport_closed' })
    this.socket.close()
    this.remote.close()
  }

  request<K extends RequestName>(event: K, payload: RequestOf<K>): Promise<AckOf<K>> {
    if (this.mode === 'follower') return this.remote.request(event, payload)
    if (this.mode !== 'leader') return Promise.reject(new ChatError('not_connected', `${event}: not connected`))
    return this.socket.request(event, payload).then((ack) => {
      if (event === 'send_message' && ack.ok) this.passOn(ack as AckOf<'send_message'> & { ok: true }, undefined)
      return ack
    })
  }

  notify<K extends NotificationName>(event: K, payload: RequestOf<K>): void {
    if (this.mode === 'leader') this.socket.notify(event, payload)
    else if (this.mode === 'follower') this.remote.notify(event, payload)
  }

  /** The client stops (or is destroyed): another tab may lead. */
  stop(): void {
    this.leave()
    this.election?.abort()
    this.election = undefined
    this.resign?.()
    this.resign = undefined
    this.unlisten?.()
    this.channel?.close()
    this.channel = this.unlisten = undefined
    this.mode = 'idle'
  }

  /**
   * The page is going away (after its outbox record was released): followers need not wait for
   * the browser to hand the lock on, and any tab can take over what this one left unsent.
   */
  leave(): void {
    if (this.mode === 'leader') this.post({ t: 'bye', leader: this.options.tabId })
    else if (this.mode !== 'idle') this.post({ t: 'gone', from: this.options.tabId })
  }

  /** The visitor's identity changed: this tab belongs with the tabs of the new one. */
  regroup(group: string): void {
    if (group === this.group) return
    this.stop()
    this.group = group
  }

  private elect(): void {
    const { tabs, reportError } = this.options
    this.mode = 'deciding'
    const channel = (this.channel = tabs.channel(this.group))
    this.unlisten = channel.listen((message) => isTabMessage(message) && this.receive(message))
    const election = (this.election = new AbortController())
    const current = () => this.election === election
    const failed = (error: unknown) => {
      if (current()) reportError(new ChatError('internal', `tab leadership: ${error instanceof Error ? error.message : String(error)}`))
    }
    tabs.locks
      .request(this.group, { ifAvailable: true }, async (granted) => {
        if (!current()) return
        if (granted) return this.lead()
        this.follow()
        // In line for the lock: the browser grants it when the leader's tab closes or it stops.
        tabs.locks.request(this.group, { signal: election.signal }, async () => (current() ? this.lead() : undefined)).catch(failed)
      })
      .catch(failed)
  }

  private follow(): void {
    this.mode = 'follower'
    if (this.wanted) this.remote.open()
  }

  /** Holds the lock until `stop`. */
  private lead(): Promise<void> {
    const wasFollower = this.mode === 'follower'
    this.mode = 'leader'
    this.remote.close()
    this.post({ t: 'leader', leader: this.options.tabId })
    if (this.wanted) {
      // A follower's link is gone with its leader: the client reconnects, now on its own socket.
      if (wasFollower) this.options.listener.lost('transport_closed' satisfies StatusReason)
      else this.socket.open()
    }
    return new Promise((resolve) => (this.resign = resolve))
  }

  private receive(message: TabMessage): void {
    if (message.t === 'bye' || message.t === 'gone') this.options.tabLeft()
    if (this.mode !== 'leader') return this.remote.receive(message)
    const session = this.socket.session
    switch (message.t) {
      case 'hello':
        if (session) this.post({ t: 'session', leader: this.options.tabId, epoch: this.epoch, info: session, to: message.from })
        return
      case 'request':
        return this.serve(message)
      case 'notify':
        if (!(message.event in ACK_SCHEMAS)) this.socket.notify(message.event as NotificationName, message.payload as never)
        return
    }
  }

  /** A follower's request, sent on this tab's socket; the answer goes back to it alone. */
  private serve({ from, id, event, payload }: Extract<TabMessage, { t: 'request' }>): void {
    const answer = (reply: Omit<Extract<TabMessage, { t: 'answer' }>, 't' | 'to' | 'id'>) => this.post({ t: 'answer', to: from, id, ...reply })
    if (!(event in ACK_SCHEMAS)) return answer({ error: { code: 'bad_request', message: `${event} is not a request` } })
    this.socket.request(event as RequestName, payload as never).then(
      (ack) => {
        answer({ ack })
        if (event === 'send_message' && ack.ok) this.passOn(ack as AckOf<'send_message'> & { ok: true }, from)
      },
      (error: unknown) => answer({ error: error instanceof ChatError ? { code: error.code, message: error.message } : { code: 'internal', message: String(error) } }),
    )
  }

  /** The server told no one on this socket of a message sent on it: the other tabs hear it here. */
  private passOn(ack: { message: Extract<Broadcast, { name: 'new_message' }>['payload'] }, sender: string | undefined): void {
    const event: Broadcast = { name: 'new_message', payload: ack.message }
    this.post({ t: 'broadcast', leader: this.options.tabId, event, ...(sender !== undefined && { except: sender }) })
    if (sender !== undefined) this.options.listener.broadcast(event)
  }

  private post(message: TabMessage): void {
    this.channel?.post(message)
  }
}
