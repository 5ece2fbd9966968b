/**
 * The chat client: one object that keeps a conversation in sync with the server and exposes it
 * as stores. It owns the connection state machine, the outbox and the timeline of the open room;
 * the socket itself lives in `SocketLink`. Everything with time or chance in it comes from the
 * injected clock, so tests can drive it exactly.
 */
import { atom, type ReadableAtom } from 'nanostores'
import { createNanoEvents } from 'nanoevents'
import {
  MAX_TEXT_LENGTH,
  PROTOCOL_VERSION,
  schemas,
  type Author,
  type Conversation,
  type ConversationStatus,
  type ErrorCode,
  type HandshakeAuth,
  type Presence,
  type Role,
  type SessionInfo,
  type VisitorIdentity,
  type Watermarks,
  type WireError,
  type WireMessage,
} from '../protocol'
import { DEFAULT_BACKOFF, backoffDelay, type BackoffOptions } from './backoff'
import { Timer, systemClock, type Clock } from './clock'
import {
  initialConnectionState,
  transition,
  type ConnectionEffect,
  type ConnectionEvent,
  type ConnectionState,
  type ConnectionStatus,
  type StatusReason,
} from './connection-state'
import { browserEnvironment, type Environment } from './environment'
import { ChatError } from './errors'
import { randomId } from './ids'
import { buildMessageList, countUnread, createMessageViewCache, type ChatMessage } from './message-view'
import * as outboxOps from './outbox'
import { parseCredentials, storageKeys } from './persisted-state'
import { SocketLink, type Broadcast, type SocketTuning } from './socket-link'
import { defaultStorage, readJson, readRaw, writeJson, type StorageLike } from './storage'
import { applyJoin, conflict, emptyTimeline, findByClientId, hasGap, insertMessages, prependOlder, type Timeline } from './timeline'
import { RemoteTypists, TypingThrottle } from './typing'
import { emptyWatermarks, mergeWatermarks, raiseWatermark } from '../protocol'

export interface ChatClientOptions {
  /** The server's base URL, e.g. `https://chat.example.com`. */
  url: string
  /** Default `visitor`. Agents also pass `token`. */
  role?: Role
  /**
   * Agents: the credential the server verifies, or a function that returns a fresh one; it is
   * called before every connection attempt, and again when the server refuses an expired one.
   */
  token?: string | (() => string | Promise<string>)
  /** Visitors: who the site says this is, signed by its backend (see `identify`). */
  identity?: VisitorIdentity
  /** A display name sent with the handshake. */
  name?: string
  /** Where the visitor identity and the outbox persist. Default `localStorage`, else memory. */
  storage?: StorageLike
  /** Prefix of the storage keys; give two clients on one page different prefixes. Default `obrolan`. */
  storageKey?: string
  /** Connect as soon as the client is made. Default true. */
  autoConnect?: boolean
  clock?: Clock
  environment?: Environment
  backoff?: BackoffOptions
  /** How long a request waits for its ack before the link counts as dead. Default 10 000 ms. */
  ackTimeoutMs?: number
  /** Silence tolerated beyond the server's heartbeat period. Default 10 000 ms. */
  heartbeatGraceMs?: number
  /** A connection must stay up this long before the backoff forgets earlier failures. Default 5 000 ms. */
  minUptimeMs?: number
  /** Least time between two "still typing" signals. Default 2 000 ms. */
  typingIntervalMs?: number
  /** A remote typist disappears after this long without a refresh. Default 5 000 ms. */
  typingTimeoutMs?: number
  /** Messages per history page. Default 50. */
  pageSize?: number
  /** engine.io-client options (`transports`, `path`, `query`, …) plus `timeout`; see `SocketTuning`. */
  socket?: SocketTuning
}

export interface StatusChange {
  prev: ConnectionStatus
  next: ConnectionStatus
  reason: StatusReason
}

export interface ChatClientEvents {
  status(change: StatusChange): void
  /** A message from someone else arrived live. */
  message(message: ChatMessage): void
  /** The server refused one of the user's messages; it stays in the list as `failed`. */
  failed(message: ChatMessage): void
  /** Something went wrong that the client recovered from (a malformed event, a refused request). */
  error(error: ChatError): void
  session(info: SessionInfo): void
}

export interface ChatClient {
  readonly status: ReadableAtom<ConnectionStatus>
  /**
   * Connection attempts that failed in a row since the link was last up: 0 while connected or
   * on the first try after a drop; 1 or more while the server cannot be reached.
   */
  readonly failures: ReadableAtom<number>
  /** The open room's messages: confirmed in server order, then unconfirmed in send order. */
  readonly messages: ReadableAtom<ChatMessage[]>
  /** Who else is typing in the open room. */
  readonly typing: ReadableAtom<Author[]>
  readonly presence: ReadableAtom<Presence | undefined>
  /** The open room's conversation (status, watermarks). */
  readonly conversation: ReadableAtom<Conversation | undefined>
  /** Messages from the other side in the open room that this user has not read. */
  readonly unread: ReadableAtom<number>
  /** Older messages than the first loaded one exist. */
  readonly hasOlder: ReadableAtom<boolean>
  /** Agents: every conversation, newest activity first. Visitors: empty. */
  readonly conversations: ReadableAtom<Conversation[]>
  /** Who this client is, once the server has said. */
  readonly user: ReadableAtom<Author | undefined>
  /**
   * True when the storage already holds a conversation (a returning visitor, or an agent) or
   * unsent messages: a reason to connect before the user opens the chat, so unread messages can
   * be shown and the outbox sent.
   */
  readonly hasConversation: boolean

  connect(): void
  disconnect(): void
  /** Shows the message at once as `pending` and sends it when it can; never drops it. */
  send(text: string): ChatMessage
  /** Puts a `failed` message back in line. */
  retry(clientId: string): void
  /** Drops a `failed` message the user gave up on. */
  discard(clientId: string): void
  edit(messageId: string, text: string): Promise<ChatMessage>
  remove(messageId: string): Promise<ChatMessage>
  setTyping(isTyping: boolean): void
  /** Marks everything loaded in the open room as read. */
  markRead(): void
  /** Loads the page before the oldest loaded message; resolves to how many came. */
  loadOlder(): Promise<number>
  /** Agents: switch the open room. Resolves once joined (at once when offline: joins on connect). */
  openConversation(roomId: string): Promise<void>
  setConversationStatus(status: ConversationStatus): Promise<Conversation>
  /**
   * Visitors: tells the server who this is, as signed by the site's backend, and reconnects with
   * it. A refused identity is reported on `error` and the visitor stays anonymous. `undefined`
   * goes back to anonymous.
   */
  identify(identity: VisitorIdentity | undefined): void
  on<E extends keyof ChatClientEvents>(event: E, listener: ChatClientEvents[E]): () => void
  /** Disconnects and releases timers and listeners. The persisted outbox stays. */
  destroy(): void
}

/** Least time between two delivery receipts; a burst of incoming messages shares one. */
const RECEIPT_INTERVAL_MS = 100

/** Refusals that are about the moment, not the message: keep it and try again later. */
const TRANSIENT: ReadonlySet<string> = new Set<ErrorCode | 'timeout' | 'not_connected'>(['internal', 'rate_limited', 'timeout', 'not_connected'])

export function createChatClient(options: ChatClientOptions): ChatClient {
  if (!options || typeof options.url !== 'string' || options.url === '') {
    throw new TypeError('createChatClient: `url` is required, e.g. { url: "https://chat.example.com" }')
  }
  const role: Role = options.role ?? 'visitor'
  if (role !== 'visitor' && role !== 'agent') throw new TypeError(`createChatClient: unknown role "${String(role)}"`)
  if (role === 'agent' && !options.token) throw new TypeError('createChatClient: agents need a `token`')

  const clock = options.clock ?? systemClock
  const storage = options.storage ?? defaultStorage()
  const environment = options.environment ?? browserEnvironment()
  const backoff = options.backoff ?? DEFAULT_BACKOFF
  const pageSize = options.pageSize ?? 50
  const { credentials: credentialsKey, outbox: outboxKey } = storageKeys(role, options.storageKey)

  const events = createNanoEvents<ChatClientEvents>()
  const $status = atom<ConnectionStatus>('disconnected')
  const $failures = atom(0)
  const $messages = atom<ChatMessage[]>([])
  const $typing = atom<Author[]>([])
  const $presence = atom<Presence | undefined>(undefined)
  const $conversation = atom<Conversation | undefined>(undefined)
  const $unread = atom(0)
  const $hasOlder = atom(false)
  const $conversations = atom<Conversation[]>([])
  const $user = atom<Author | undefined>(undefined)

  let credentials = role === 'visitor' ? parseCredentials(readJson(storage, credentialsKey)) : undefined
  let identity: VisitorIdentity | undefined = options.identity
  /** Consecutive handshakes refused as unauthorized; a token getter gets a few chances to refresh. */
  let refusedTokens = 0
  let outbox: outboxOps.Outbox = outboxOps.parseOutbox(readJson(storage, outboxKey))
  /** Every clientId this client has had in its outbox; other ids in storage belong to other tabs. */
  const heldHere = new Set(outbox.map((entry) => entry.clientId))
  /** What this client last stored under the outbox key, to notice another tab's writes. */
  let lastWritten: string | null | undefined = readRaw(storage, outboxKey)
  let renderQueued = false
  /** Ids of others' messages that arrived live since the last render, to announce after it. */
  let arrivals: string[] = []
  /** The outbox changed since it was last written to storage. */
  let outboxDirty = false
  let connection: ConnectionState = initialConnectionState
  let session: SessionInfo | undefined
  let roomId: string | undefined
  let timeline: Timeline = emptyTimeline
  let watermarks: Watermarks = emptyWatermarks()
  /** Set while the open room is joined on the current socket. */
  let joined = false
  /** Messages sent on the current socket and not yet answered; cleared with every new socket. */
  let inFlight = new Set<string>()
  /** Highest seq reported delivered to the server for the open room on this socket. */
  let deliveredSent = 0
  let gapFetch: Promise<void> | undefined
  let unsubscribeEnvironment: (() => void)[] = []
  const viewCache = createMessageViewCache()

  const typingThrottle = new TypingThrottle(clock, options.typingIntervalMs ?? 2000)
  const typists = new RemoteTypists(clock, options.typingTimeoutMs ?? 5000, (list) => $typing.set(list))
  const retryTimer = new Timer(clock, () => dispatch({ type: 'retry' }))
  const stableTimer = new Timer(clock, () => dispatch({ type: 'stable' }))
  const resendTimer = new Timer(clock, () => flushOutbox())
  const receiptTimer = new Timer(clock, () => reportDelivered())
  let lastReceiptAt = -Infinity
  let transientRefusals = 0
  /** Set by a transient refusal until the pipeline has drained and been resent. */
  let recovering = false
  let holdUntil = 0

  const me = (): Author => $user.get() ?? { id: credentials?.visitorId ?? '', role, ...(options.name ? { name: options.name } : {}) }
  const reportError = (error: ChatError) => events.emit('error', error)

  // ---- derived state ----

  /**
   * Brings the stores up to date with the timeline, the outbox and the watermarks. What arrives
   * over the network is rendered once per task, however many frames the task carried; what the
   * user does (send, retry, markRead…) is rendered at once, so a caller reads the result
   * straight after.
   */
  function render(): void {
    if (renderQueued) return
    renderQueued = true
    queueMicrotask(renderNow)
  }

  function renderNow(): void {
    renderQueued = false
    // A visitor has one conversation, so all of its unsent messages belong on screen, even
    // before the server has named the room after a reload.
    const roomOutbox = role === 'visitor' ? outbox : outbox.filter((entry) => entry.roomId === roomId)
    // Most events (receipts about other messages, typing) change nothing on screen; the list is
    // then the same object and no subscriber wakes up.
    const next = buildMessageList(timeline, roomOutbox, watermarks, me(), viewCache)
    if (next !== $messages.get()) $messages.set(next)
    $unread.set(countUnread(timeline, watermarks, role, viewCache))
    $hasOlder.set(timeline.hasOlder)
    // Told after the stores, so a listener sees the message in the list.
    const ids = arrivals
    arrivals = []
    for (const id of ids) {
      const view = findView((m) => m.id === id)
      if (view) events.emit('message', view)
    }
  }

  /** Looks up a message on screen from the newest, where the one wanted almost always is. */
  function findView(matches: (message: ChatMessage) => boolean): ChatMessage | undefined {
    const list = $messages.get()
    for (let i = list.length - 1; i >= 0; i--) if (matches(list[i]!)) return list[i]
    return undefined
  }

  function setOutbox(next: outboxOps.Outbox): void {
    if (next === outbox) return
    outbox = next
    // Written once per task, not once per change: a burst of sends or acks is one write. Nothing
    // can close the page between a task and its microtasks, so this is as safe as writing at once.
    if (!outboxDirty) {
      outboxDirty = true
      queueMicrotask(persistOutbox)
    }
  }

  function persistOutbox(): void {
    if (!outboxDirty) return
    outboxDirty = false
    // Another tab on the same storage keeps its own outbox there: keep its entries, or a message
    // it has not sent yet would be lost if that tab closed. Parsed only when someone else wrote.
    let persisted = outbox
    if (readRaw(storage, outboxKey) !== lastWritten) {
      const others = outboxOps.parseOutbox(readJson(storage, outboxKey)).filter((entry) => !heldHere.has(entry.clientId))
      if (others.length) persisted = outboxOps.mergeBySendTime(outbox, others)
    }
    lastWritten = writeJson(storage, outboxKey, persisted)
    if (lastWritten === undefined) {
      reportError(new ChatError('internal', 'Could not persist unsent messages; they will be lost if the page closes'))
    }
  }

  function resetRoom(next: string | undefined): void {
    roomId = next
    timeline = emptyTimeline
    watermarks = emptyWatermarks()
    joined = false
    deliveredSent = 0
    typists.clear()
    $presence.set(undefined)
    $conversation.set(undefined)
  }

  // ---- connection state machine ----

  function dispatch(event: ConnectionEvent): void {
    const prev = connection
    const result = transition(prev, event)
    connection = result.state
    for (const effect of result.effects) perform(effect)
    $failures.set(result.state.failures)
    if (result.state.status !== prev.status) {
      $status.set(result.state.status)
      events.emit('status', { prev: prev.status, next: result.state.status, reason: result.reason ?? 'transport_closed' })
    }
  }

  function perform(effect: ConnectionEffect): void {
    switch (effect.type) {
      case 'open':
        onSocketGone()
        link.open()
        break
      case 'close':
        onSocketGone()
        link.close()
        break
      case 'schedule_retry':
        retryTimer.arm(backoffDelay(effect.attempt, backoff, clock.random))
        break
      case 'cancel_retry':
        retryTimer.disarm()
        break
      case 'arm_stable':
        stableTimer.arm(options.minUptimeMs ?? 5000)
        break
      case 'disarm_stable':
        stableTimer.disarm()
        break
    }
  }

  function onSocketGone(): void {
    session = undefined
    joined = false
    inFlight = new Set()
    // A new socket resends everything in order anyway; a server's retryAfter still holds.
    recovering = clock.now() < holdUntil
    if (recovering) resendTimer.arm(holdUntil - clock.now())
    gapFetch = undefined
    typingThrottle.reset()
    // Remote typists would never get their "stopped" through a dead socket.
    typists.clear()
  }

  const link = new SocketLink({
    url: options.url,
    clock,
    ackTimeoutMs: options.ackTimeoutMs ?? 10_000,
    heartbeatGraceMs: options.heartbeatGraceMs ?? 10_000,
    ...(options.socket ? { socket: options.socket } : {}),
    auth: async (): Promise<HandshakeAuth> => {
      const token = typeof options.token === 'function' ? await options.token() : options.token
      return {
        v: PROTOCOL_VERSION,
        role,
        ...(role === 'visitor' && credentials ? { visitorId: credentials.visitorId, token: credentials.token } : {}),
        ...(role === 'visitor' && identity ? { identity } : {}),
        ...(role === 'agent' && token ? { token } : {}),
        ...(options.name ? { name: options.name } : {}),
      }
    },
    listener: {
      session: (info) => void onSession(info),
      broadcast: onBroadcast,
      lost: (reason) => dispatch({ type: 'lost', reason }),
      refused(code, message) {
        reportError(new ChatError(code ?? 'internal', `Connection refused: ${message}`))
        if (code === 'unsupported_version') dispatch({ type: 'fatal', reason: 'unsupported_version' })
        else if (code === 'unauthorized' && role === 'visitor' && credentials) {
          // The server no longer knows this visitor (e.g. its secret changed): start afresh as a
          // new visitor. The outbox stays and goes to the new conversation.
          credentials = undefined
          storage.removeItem(credentialsKey)
          dispatch({ type: 'lost', reason: 'connect_error' })
        } else if (code === 'unauthorized' && typeof options.token === 'function' && ++refusedTokens < 3) {
          // An expired token: the getter is asked again on the next attempt.
          dispatch({ type: 'lost', reason: 'connect_error' })
        } else if (code === 'unauthorized') dispatch({ type: 'fatal', reason: 'connect_error' })
        else dispatch({ type: 'lost', reason: 'connect_error' })
      },
      invalid: reportError,
    },
  })

  async function onSession(info: SessionInfo): Promise<void> {
    session = info
    refusedTokens = 0
    $user.set(info.user)
    if (role === 'visitor') {
      if (info.visitorToken) {
        credentials = { visitorId: info.user.id, token: info.visitorToken }
        writeJson(storage, credentialsKey, credentials)
      }
      if (info.identityError) {
        // Refused identities are not offered again; the visitor carries on anonymously.
        identity = undefined
        reportError(new ChatError(info.identityError.code, info.identityError.message))
      }
      if (info.roomId && info.roomId !== roomId) resetRoom(info.roomId)
      // A visitor has one conversation: whatever is unsent belongs to the one the server named.
      if (info.roomId) setOutbox(outboxOps.moveToRoom(outbox, info.roomId))
    }
    events.emit('session', info)
    try {
      if (role === 'agent') await refreshConversations()
      if (roomId) await joinRoom()
      if (session !== info) return
      dispatch({ type: 'ready' })
      flushOutbox()
    } catch (error) {
      // A timeout has already reported the link lost; a refusal of the join itself is reported
      // and the link retried, since without the room nothing works.
      if (error instanceof ChatError && error.code !== 'timeout' && error.code !== 'not_connected' && session === info) {
        reportError(error)
        dispatch({ type: 'lost', reason: 'connect_error' })
      }
    }
  }

  async function joinRoom(): Promise<void> {
    const room = roomId
    if (!room) return
    const firstJoin = timeline.contiguousSeq === undefined
    const ack = await link.request(
      'join_room',
      firstJoin ? { roomId: room, limit: pageSize } : { roomId: room, afterSeq: timeline.contiguousSeq, limit: pageSize },
      schemas.acks.join_room,
    )
    if (room !== roomId) return
    if (!ack.ok) throw new ChatError(ack.error.code, `join_room: ${ack.error.message}`)
    joined = true
    const ownRead = watermarks[role].read
    // Start from what the server knows: a report sent on a socket that died may never have arrived.
    deliveredSent = ack.conversation.watermarks[role].delivered
    const messages = admit(ack.messages, room, 'join_room ack')
    timeline = applyJoin(timeline, messages, firstJoin ? { hasOlder: ack.hasOlder } : undefined)
    applyConversation(ack.conversation)
    dropConfirmedFromOutbox(messages)
    // A read made while offline reaches the server now.
    if (ownRead > ack.conversation.watermarks[role].read) link.notify('mark_read', { roomId: room, upToSeq: ownRead })
    render()
    reportDelivered()
    // More than a page was missed, or a live message overtook the join's answer.
    if (ack.hasMore || hasGap(timeline)) void fillGap()
  }

  function applyConversation(conversation: Conversation): void {
    watermarks = mergeWatermarks(watermarks, conversation.watermarks)
    $conversation.set({ ...conversation, watermarks })
    $presence.set(conversation.presence)
  }

  /**
   * Fetches forward from the gap-free run until the timeline has no hole. One fetch loop at a
   * time; a gap seen before the room is joined is filled after the join, which checks again.
   */
  function fillGap(): Promise<void> {
    if (gapFetch) return gapFetch
    // Cleared in a later tick, never before it is stored, even when the loop ends at once.
    const run: Promise<void> = fetchUntilGapFree().finally(() => {
      if (gapFetch === run) gapFetch = undefined
    })
    gapFetch = run
    return run
  }

  async function fetchUntilGapFree(): Promise<void> {
    try {
      for (;;) {
        const room = roomId
        const after = timeline.contiguousSeq
        if (!room || after === undefined || !joined) return
        const ack = await link.request('get_history', { roomId: room, afterSeq: after, limit: pageSize }, schemas.acks.history)
        if (room !== roomId) return
        if (!ack.ok) throw new ChatError(ack.error.code, `get_history: ${ack.error.message}`)
        const messages = admit(ack.messages, room, 'get_history ack')
        timeline = insertMessages(timeline, messages)
        dropConfirmedFromOutbox(messages)
        render()
        reportDelivered()
        if (!ack.hasMore && !hasGap(timeline)) return
        if (ack.messages.length === 0) return
      }
    } catch (error) {
      // Timeouts and lost sockets are the link's to handle; a malformed ack was reported by it.
      const quiet = ['timeout', 'not_connected', 'invalid_event']
      if (error instanceof ChatError && !quiet.includes(error.code)) reportError(error)
    }
  }

  /**
   * Tells the server how far this side has received the other side's messages; a run of only
   * this side's own messages is nothing to report.
   */
  function reportDelivered(): void {
    const upTo = timeline.contiguousSeq ?? 0
    if (!roomId || !joined || upTo <= deliveredSent) return
    if (!hasOthersBetween(deliveredSent, upTo)) return
    // A burst of incoming messages is acknowledged by one receipt per interval, the last one
    // always: the first message of a lull is reported at once, the rest of a burst together.
    const wait = lastReceiptAt + RECEIPT_INTERVAL_MS - clock.now()
    if (wait > 0) {
      if (!receiptTimer.armed) receiptTimer.arm(wait)
      return
    }
    deliveredSent = upTo
    lastReceiptAt = clock.now()
    link.notify('mark_delivered', { roomId, upToSeq: upTo })
  }

  function hasOthersBetween(afterSeq: number, upToSeq: number): boolean {
    for (let i = timeline.messages.length - 1; i >= 0; i--) {
      const message = timeline.messages[i]!
      if (message.seq <= afterSeq) return false
      if (message.seq <= upToSeq && message.author.role !== role) return true
    }
    return false
  }

  /**
   * The messages of `room` that fit the timeline. Anything else — another room's message in an
   * answer about this one, an id or seq that contradicts what is held — is reported and left out.
   */
  function admit(messages: readonly WireMessage[], room: string, source: string): WireMessage[] {
    const admitted: WireMessage[] = []
    for (const message of messages) {
      const reason = message.roomId !== room ? `message ${message.id} belongs to ${message.roomId}, not ${room}` : conflict(timeline, message)
      if (reason === undefined) admitted.push(message)
      else reportError(new ChatError('invalid_event', `${source}: ${reason}`))
    }
    return admitted
  }

  /**
   * Our own messages that reached the timeline by any path no longer belong in the outbox. An
   * entry leaves only when its message is really on screen, so a confused answer cannot make a
   * sent message vanish.
   */
  function dropConfirmedFromOutbox(messages: readonly WireMessage[]): void {
    const user = $user.get()
    if (!user || outbox.length === 0) return
    let next = outbox
    for (const message of messages) {
      if (message.author.id === user.id && findByClientId(timeline, message.clientId)?.id === message.id) {
        next = outboxOps.remove(next, message.clientId)
      }
    }
    setOutbox(next)
  }

  // ---- outbox ----

  /**
   * Sends every pending message in order, pipelined. After a transient refusal nothing new goes
   * out until every answer is in and any `retryAfterMs` has passed; then everything still pending
   * is sent again in order, so a refusal in the middle of a burst cannot reorder the burst.
   */
  function flushOutbox(): void {
    if (connection.status !== 'connected') return
    if (recovering && (inFlight.size > 0 || clock.now() < holdUntil)) return
    recovering = false
    for (const entry of outbox) {
      if (entry.state !== 'pending' || !entry.roomId || inFlight.has(entry.clientId)) continue
      inFlight.add(entry.clientId)
      const sentOn = inFlight
      link
        .request('send_message', { roomId: entry.roomId, clientId: entry.clientId, text: entry.text }, schemas.acks.message)
        .then((ack) => {
          if (sentOn !== inFlight) return
          sentOn.delete(entry.clientId)
          if (ack.ok) {
            transientRefusals = 0
            confirm(entry, ack.message)
          } else if (TRANSIENT.has(ack.error.code)) {
            onTransientRefusal(ack.error)
          } else {
            setOutbox(outboxOps.markFailed(outbox, entry.clientId, ack.error))
            renderNow()
            const failed = findView((m) => m.clientId === entry.clientId)
            if (failed) events.emit('failed', failed)
          }
          if (recovering && inFlight.size === 0) resendTimer.arm(Math.max(0, holdUntil - clock.now()))
        })
        .catch(() => {
          // Timeout or lost socket: the entry stays pending and goes out again on the next socket.
        })
    }
  }

  /** Not the message's fault: it stays pending and is offered again after a pause. */
  function onTransientRefusal(error: WireError): void {
    const wait = error.retryAfterMs ?? backoffDelay(transientRefusals++, backoff, clock.random)
    if (!recovering && error.code === 'rate_limited') reportError(new ChatError('rate_limited', error.message))
    recovering = true
    holdUntil = Math.max(holdUntil, clock.now() + wait)
  }

  function confirm(entry: outboxOps.OutboxEntry, message: WireMessage): void {
    if (message.clientId !== entry.clientId || message.roomId !== entry.roomId || message.author.id !== $user.get()?.id) {
      // Left pending: the next connection sends it again and the server answers with its copy.
      reportError(new ChatError('invalid_event', `send_message ack: the message returned is not the one sent (${entry.clientId})`))
      return
    }
    if (message.roomId === roomId) {
      timeline = insertMessages(timeline, admit([message], message.roomId, 'send_message ack'))
      dropConfirmedFromOutbox([message])
    } else {
      // Sent to a conversation no longer open: the server has it, and the open list never showed it.
      setOutbox(outboxOps.remove(outbox, entry.clientId))
    }
    render()
  }

  // ---- broadcasts ----

  function onBroadcast(event: Broadcast): void {
    switch (event.name) {
      case 'new_message':
      case 'message_edited':
      case 'message_deleted': {
        const message = event.payload
        // Late news from a conversation this client has left is not an error.
        if (message.roomId !== roomId) return
        const before = timeline
        timeline = insertMessages(timeline, admit([message], message.roomId, event.name))
        dropConfirmedFromOutbox([message])
        render()
        if (event.name !== 'new_message' || timeline === before) return
        if (message.author.id !== $user.get()?.id) {
          typists.update(message.author, false)
          arrivals.push(message.id)
        }
        if (hasGap(timeline)) void fillGap()
        reportDelivered()
        return
      }
      case 'message_status_update':
        if (event.payload.roomId !== roomId) return
        watermarks = mergeWatermarks(watermarks, event.payload.watermarks)
        render()
        return
      case 'typing_indicator':
        if (event.payload.roomId === roomId && event.payload.user.id !== $user.get()?.id) {
          typists.update(event.payload.user, event.payload.isTyping)
        }
        return
      case 'connection_status_update':
        if (event.payload.roomId === roomId) $presence.set(event.payload.presence)
        return
      case 'conversation_updated': {
        const conversation = event.payload
        if (role === 'agent') {
          const rest = $conversations.get().filter((c) => c.roomId !== conversation.roomId)
          $conversations.set([conversation, ...rest].sort((a, b) => b.updatedAt - a.updatedAt))
        }
        if (conversation.roomId === roomId) {
          applyConversation(conversation)
          render()
        }
        return
      }
    }
  }

  async function refreshConversations(): Promise<void> {
    const ack = await link.request('list_conversations', {}, schemas.acks.conversations)
    if (!ack.ok) throw new ChatError(ack.error.code, `list_conversations: ${ack.error.message}`)
    $conversations.set(ack.conversations)
  }

  // ---- public methods ----

  function checkText(text: unknown): string {
    if (typeof text !== 'string') throw new ChatError('bad_request', 'Message text must be a string')
    if (text.trim() === '') throw new ChatError('bad_request', 'Message text is empty')
    const limit = session?.maxTextLength ?? MAX_TEXT_LENGTH
    if (text.length > limit) throw new ChatError('too_long', `Message text is ${text.length} characters; the limit is ${limit}`)
    return text
  }

  async function requestMessage(event: 'edit_message' | 'delete_message', payload: object): Promise<ChatMessage> {
    const ack = await link.request(event, payload, schemas.acks.message)
    if (!ack.ok) throw new ChatError(ack.error.code, `${event}: ${ack.error.message}`)
    if (roomId) {
      timeline = insertMessages(timeline, admit([ack.message], roomId, `${event} ack`))
      renderNow()
    }
    return findView((m) => m.id === ack.message.id) ?? { ...ack.message, status: 'sent', own: true }
  }

  function ownConfirmed(messageId: string): WireMessage {
    const message = timeline.messages.find((m) => m.id === messageId)
    if (!message) throw new ChatError('not_found', `No loaded message has id ${messageId}`)
    return message
  }

  const client: ChatClient = {
    status: $status,
    failures: $failures,
    messages: $messages,
    typing: $typing,
    presence: $presence,
    conversation: $conversation,
    unread: $unread,
    hasOlder: $hasOlder,
    conversations: $conversations,
    user: $user,
    get hasConversation() {
      return role === 'agent' || credentials !== undefined || identity !== undefined || outbox.length > 0
    },

    connect() {
      if (connection.status !== 'disconnected') return
      unsubscribeEnvironment = [
        environment.onOnlineChange((online) => dispatch({ type: online ? 'online' : 'offline' })),
        environment.onVisible(() => dispatch({ type: 'wake' })),
      ]
      dispatch({ type: 'start' })
      if (!environment.isOnline()) dispatch({ type: 'offline' })
    },

    disconnect() {
      unsubscribeEnvironment.forEach((unsubscribe) => unsubscribe())
      unsubscribeEnvironment = []
      dispatch({ type: 'stop' })
    },

    send(text) {
      const checked = checkText(text)
      if (outbox.length >= outboxOps.OUTBOX_LIMIT) {
        throw new ChatError('outbox_full', `${outbox.length} messages are still waiting to be sent`)
      }
      if (role === 'agent' && !roomId) throw new ChatError('bad_request', 'Open a conversation before sending')
      const entry: outboxOps.OutboxEntry = {
        clientId: randomId(clock.random),
        text: checked,
        createdAt: clock.now(),
        state: 'pending',
        ...(roomId ? { roomId } : {}),
      }
      heldHere.add(entry.clientId)
      setOutbox(outboxOps.enqueue(outbox, entry))
      // On the wire first, then the rest: the list and the typing stop do not delay the message.
      flushOutbox()
      if (typingThrottle.shouldSend(false) && roomId) link.notify('typing_indicator', { roomId, isTyping: false })
      renderNow()
      return findView((m) => m.clientId === entry.clientId)!
    },

    retry(clientId) {
      setOutbox(outboxOps.markPending(outbox, clientId))
      renderNow()
      flushOutbox()
    },

    discard(clientId) {
      const entry = outbox.find((e) => e.clientId === clientId)
      if (entry?.state !== 'failed') return
      setOutbox(outboxOps.remove(outbox, clientId))
      renderNow()
    },

    async edit(messageId, text) {
      const message = ownConfirmed(messageId)
      const checked = checkText(text)
      return requestMessage('edit_message', { roomId: message.roomId, id: message.id, text: checked })
    },

    async remove(messageId) {
      const message = ownConfirmed(messageId)
      return requestMessage('delete_message', { roomId: message.roomId, id: message.id })
    },

    setTyping(isTyping) {
      if (!roomId || connection.status !== 'connected') return
      if (typingThrottle.shouldSend(isTyping)) link.notify('typing_indicator', { roomId, isTyping })
    },

    markRead() {
      const upTo = timeline.contiguousSeq ?? 0
      if (!roomId || upTo <= watermarks[role].read) return
      watermarks = raiseWatermark(watermarks, role, 'read', upTo)
      renderNow()
      if (joined) link.notify('mark_read', { roomId, upToSeq: upTo })
    },

    async loadOlder() {
      const room = roomId
      const first = timeline.messages[0]
      if (!room || !first || !timeline.hasOlder) return 0
      const ack = await link.request('get_history', { roomId: room, beforeSeq: first.seq, limit: pageSize }, schemas.acks.history)
      if (!ack.ok) throw new ChatError(ack.error.code, `get_history: ${ack.error.message}`)
      if (room !== roomId) return 0
      const older = admit(ack.messages, room, 'get_history ack')
      timeline = prependOlder(timeline, older, ack.hasMore)
      renderNow()
      return older.length
    },

    async openConversation(next) {
      if (role !== 'agent') throw new ChatError('forbidden', 'Only agents choose a conversation; a visitor has one')
      if (typeof next !== 'string' || next === '') throw new TypeError('openConversation: roomId must be a non-empty string')
      if (next === roomId) return
      if (roomId && joined) link.notify('leave_room', { roomId })
      resetRoom(next)
      renderNow()
      if (link.ready) {
        await joinRoom()
        flushOutbox()
      }
    },

    async setConversationStatus(status) {
      if (!roomId) throw new ChatError('bad_request', 'No conversation is open')
      const ack = await link.request('set_conversation_status', { roomId, status }, schemas.acks.conversation)
      if (!ack.ok) throw new ChatError(ack.error.code, `set_conversation_status: ${ack.error.message}`)
      return ack.conversation
    },

    identify(next) {
      if (role !== 'visitor') throw new ChatError('forbidden', 'Only visitors are identified; agents use their token')
      if (next !== undefined && (typeof next !== 'object' || typeof next.userId !== 'string' || typeof next.userHash !== 'string')) {
        throw new TypeError('identify: give { userId, userHash, name?, email? } with userHash signed by your backend')
      }
      identity = next
      dispatch({ type: 'restart' })
    },

    on(event, listener) {
      return events.on(event, listener)
    },

    destroy() {
      persistOutbox()
      client.disconnect()
      typists.clear()
      retryTimer.disarm()
      stableTimer.disarm()
      resendTimer.disarm()
      receiptTimer.disarm()
      events.events = {}
    },
  }

  renderNow()
  if (options.autoConnect !== false) client.connect()
  return client
}
