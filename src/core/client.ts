/**
 * `createChatClient`: the composition root. It makes the parts and wires them together: the
 * connection (state machine, timers, page signals), the socket link, the handshake, the open
 * room, the outbox's sender and its storage, and the stores a UI reads. Each part has one job
 * and a small interface; what is left here is the wiring and the public methods.
 */
import { atom, batch } from 'nanostores'
import { createNanoEvents } from 'nanoevents'
import { MAX_TEXT_LENGTH, type Author, type SessionInfo, type WireMessage } from '../protocol'
import { agentRequests } from './agent-requests'
import type { ChatClient, ChatClientEvents, ChatClientOptions } from './client-types'
import { Connection } from './connection/connection'
import { ChatError, failedWithLink, sendableText } from './errors'
import { Attachments } from './files/attachments'
import { checkedContext } from './input-checks'
import { OutboxPersistence, restoredOutbox } from './outbox/persistence'
import { Sender } from './outbox/sender'
import { hasStoredOutbox } from './outbox/stored'
import { messageActions } from './message-actions'
import { resolveOptions } from './options'
import { ConversationLists } from './room/conversation-lists'
import { OwnReads } from './room/own-reads'
import { PendingReactions } from './room/reactions'
import { Room, type ConversationLoss } from './room/room'
import { DEFAULT_FEATURES, featuresOf, type ServerFeatures } from './session/features'
import { Handshake } from './session/handshake'
import { VisitorSite } from './session/visitor-site'
import { createLink, tabGroup } from './tabs/shared-link'
import type { Broadcast, LinkOptions } from './transport/socket-link'
import { RemoteTypists, TypingThrottle } from './typing'
import type { ChatMessage } from './view/message-view'
import { Announcer } from './view/announcer'
import { deriveViews } from './view/stores'

export function createChatClient(input: ChatClientOptions): ChatClient {
  const options = resolveOptions(input)
  const { role, clock, storage, keys } = options

  const events = createNanoEvents<ChatClientEvents>()
  const reportError = (error: ChatError) => events.emit('error', error)
  const $user = atom<Author | undefined>(undefined)
  const $typing = atom<Author[]>([])
  const $lost = atom<ConversationLoss | undefined>(undefined)
  const $features = atom<ServerFeatures>(DEFAULT_FEATURES)
  const userId = () => $user.get()?.id
  /** Set by `identify` until the server answers: a new room is then expected, not a loss. */
  let identityChanged = false

  const site = new VisitorSite({ storage, contactKey: keys.contact })
  const { token, identity, name } = options
  const handshake = new Handshake({
    role,
    token,
    identity,
    name,
    context: checkedContext(options.context),
    storage,
    credentialsKey: keys.credentials,
    contact: () => site.handshakeContact,
  })
  const typingThrottle = new TypingThrottle(clock, options.typingIntervalMs)
  const typists = new RemoteTypists(clock, options.typingTimeoutMs, (list) => $typing.set(list))

  const linkOptions: LinkOptions = {
    url: options.url,
    clock,
    ackTimeoutMs: options.ackTimeoutMs,
    heartbeatGraceMs: options.heartbeatGraceMs,
    socket: options.socket,
    auth: () => handshake.auth(),
    listener: {
      session: (info) => void onSession(info),
      broadcast: onBroadcast,
      lost: (reason) => connection.dispatch({ type: 'lost', reason }),
      refused(code, message) {
        reportError(new ChatError(code ?? 'internal', `Connection refused: ${message}`))
        connection.dispatch(handshake.refused(code))
      },
      invalid: reportError,
    },
  }
  // A tab that closed may have left unsent messages: look for them now, not at the next heartbeat.
  const { link, tabLink } = createLink(options, linkOptions, { reportError, tabLeft: () => persistence.wake() })

  /** A socket is going away: typing state does not survive it. */
  const socketGone = () => {
    typingThrottle.reset()
    // Remote typists would never get their "stopped" through a dead socket.
    typists.clear()
  }
  const connection: Connection = new Connection({
    clock,
    environment: options.environment,
    backoff: options.backoff,
    minUptimeMs: options.minUptimeMs,
    hooks: {
      open: () => (socketGone(), link.open()),
      close: () => (socketGone(), link.close()),
      changed: (change) => events.emit('status', change),
    },
  })

  const ownReads = new OwnReads()
  const room: Room = new Room({
    role,
    pageSize: options.pageSize,
    clock,
    link,
    userId,
    admitted: (messages) => sender.confirm(messages, (message) => room.shows(message)),
    arrived(message) {
      typists.update(message.author, false)
      announcer.arrived(message.id)
    },
    ownReadSaid: (roomId, read) => ownReads.learn([[roomId, read]]),
    lost: onConversationLost,
    reportError,
  })

  const sender = new Sender({
    clock,
    backoff: options.backoff,
    link,
    restored: restoredOutbox(storage, keys.outbox),
    canSend: () => connection.connected,
    userId,
    // The open room shows it (and confirms it once it does); another room is not on screen.
    delivered: (message) => (message.roomId === room.id ? room.insert([message], 'send_message ack') : sender.confirm([message], () => true)),
    failed: (clientId) => announcer.failed(clientId),
    dropped: (clientIds) => attachments.forget(clientIds),
    reportError,
  })

  const { backoff, url } = options
  const canSend = () => connection.connected
  // Bytes of unsent files survive a reload (IndexedDB) when the outbox does (the default storage).
  const durable = input.storage === undefined
  const attachments = new Attachments({ url, clock, backoff, prefix: keys.outbox, durable, sender, handshake, features: $features, canUpload: canSend, reportError })
  const applied = (message: WireMessage) => room.changed(message, 'react_message ack')
  const reactions = new PendingReactions({ clock, backoff, link, canSend, applied, reportError })

  const persistence = new OutboxPersistence({
    storage,
    prefix: keys.outbox,
    clock,
    outbox: sender.outbox,
    adopt(entries) {
      sender.adopt(entries)
      // A visitor's unsent messages all belong to its one conversation.
      if (role === 'visitor' && room.id) sender.moveToRoom(room.id)
    },
    release: (clientIds) => sender.release(clientIds),
    canSend: () => connection.connected,
    reportError,
  })

  const lists = new ConversationLists(link, reportError, ownReads)
  const requests = agentRequests(role, link, lists, () => room.id)
  const views = deriveViews({
    role,
    $roomId: room.$roomId,
    $timeline: room.$timeline,
    $outbox: sender.outbox,
    $watermarks: room.$watermarks,
    $ownRead: room.$ownRead,
    $conversation: room.$conversation,
    $presence: room.$presence,
    $user,
    $progress: attachments.uploader.progress,
    $intents: reactions.intents,
    provisionalAuthor: () => ({ id: handshake.visitorId, role, ...(options.name ? { name: options.name } : {}) }),
  })

  const announcer = new Announcer(views.messages, events)

  async function onSession(info: SessionInfo): Promise<void> {
    const identityError = handshake.accepted(info)
    $user.set(info.user)
    site.sessionStarted(info.site)
    $features.set(featuresOf(info))
    if (identityError) reportError(identityError)
    if (role === 'visitor' && info.roomId) {
      if (info.roomId !== room.id) {
        // The server no longer knew this visitor and made it a new one: its conversation is gone.
        const held = room.id
        if (held && room.timeline.messages.length > 0 && !identityChanged) onConversationLost({ roomId: held, reason: 'restarted', at: clock.now() })
        room.open(info.roomId)
      }
      sender.moveToRoom(info.roomId)
    }
    identityChanged = false
    events.emit('session', info)
    // A context set while the handshake was under way reaches the server now.
    sendContext()
    try {
      if (role === 'agent') await lists.refresh()
      await room.join()
      if (link.session !== info) return
      connection.dispatch({ type: 'ready' })
      persistence.wake()
      sender.flush()
      attachments.uploader.kick()
      reactions.flush()
    } catch (error) {
      if (link.session !== info || !(error instanceof ChatError) || failedWithLink(error)) return
      reportError(error)
      // A room an agent opened that does not exist was closed; anything else: without the room
      // nothing works, so this connection counts as failed.
      if (error.code === 'not_found' && role === 'agent') {
        connection.dispatch({ type: 'ready' })
        sender.flush()
      } else connection.dispatch({ type: 'lost', reason: 'connect_error' })
    }
  }

  function onBroadcast(event: Broadcast): void {
    if (event.name === 'availability_update') return site.availability(event.payload)
    if (event.name === 'typing_indicator') {
      const { roomId, user, isTyping } = event.payload
      if (roomId === room.id && user.id !== userId()) typists.update(user, isTyping)
      return
    }
    if (event.name === 'conversation_updated' && role === 'agent') lists.update(event.payload)
    if (event.name === 'agent_read') ownReads.learn([[event.payload.roomId, event.payload]])
    room.broadcast(event)
  }

  function onConversationLost(loss: ConversationLoss): void {
    if (loss.reason === 'not_found') {
      // Nothing can be sent to a room that is gone: what waited for it fails, visibly.
      sender.failRoom(loss.roomId, { code: 'not_found', message: 'This conversation no longer exists' })
      if (role === 'agent') lists.refresh().catch((error: unknown) => error instanceof ChatError && !failedWithLink(error) && reportError(error))
    }
    $lost.set(loss)
    events.emit('conversationLost', loss)
  }

  /** Visitors: the latest context to the server, if it does not have it (the next handshake carries it anyway). */
  const sendContext = () => {
    const context = role === 'visitor' && room.id && link.session ? handshake.contextToSend() : undefined
    if (context) link.notify('update_context', { roomId: room.id!, context })
  }

  const checkText = (text: unknown) => sendableText(text, link.session?.maxTextLength ?? MAX_TEXT_LENGTH)
  const roomToWrite = (): string | undefined => {
    if (role === 'agent' && !room.id) throw new ChatError('bad_request', 'Open a conversation before sending')
    return room.id
  }

  /** What the user did shows at once: the list's subscribers hear in the same event handler. */
  const shownNow = (_done: void): void => views.settle()

  /** The message as shown, once the room has it. */
  const shown = (message: WireMessage): ChatMessage => announcer.find((m) => m.id === message.id) ?? { ...message, status: 'sent', own: true }

  // What the server keeps of the visitor's contact wins over what this browser had.
  const unsubscribeContact = role === 'visitor' ? room.$conversation.listen((conversation) => site.confirmed(conversation?.contact)) : undefined

  const unsubscribePage = [
    options.environment.onLeave?.(() => {
      // Released first, so the tabs told next find the record free to take over.
      persistence.release()
      tabLink?.leave()
    }),
    options.environment.onVisible(() => persistence.wake()),
  ]

  const client: ChatClient = {
    status: connection.status,
    failures: connection.failures,
    messages: views.messages,
    typing: $typing,
    presence: room.$presence,
    conversation: views.conversation,
    unread: views.unread,
    hasOlder: views.hasOlder,
    conversations: lists.$conversations,
    conversationsHaveMore: lists.all.$hasMore,
    user: $user,
    conversationLost: $lost,
    site: site.site,
    contact: site.contact,
    features: $features,
    storageKey: options.storageKey,
    get hasConversation() {
      return role === 'agent' || handshake.knownVisitor || sender.size > 0 || hasStoredOutbox(storage, keys.outbox)
    },

    connect: () => connection.start(),
    disconnect() {
      connection.stop()
      tabLink?.stop()
    },

    send(text) {
      const checked = checkText(text)
      // On the wire first, then the rest: the typing stop does not delay the message.
      const entry = sender.enqueue(checked, roomToWrite())
      const roomId = room.id
      if (roomId && typingThrottle.shouldSend(false)) link.notify('typing_indicator', { roomId, isTyping: false })
      return views.pendingView(entry)
    },

    ...messageActions({ sender, room, views, attachments, reactions, features: $features, checkText, roomToWrite, shown }),

    setTyping(isTyping) {
      const roomId = room.id
      if (!roomId || !connection.connected) return
      if (typingThrottle.shouldSend(isTyping)) link.notify('typing_indicator', { roomId, isTyping })
    },

    markRead: () => shownNow(room.markRead()),
    loadOlder: () => room.loadOlder(),

    async openConversation(next) {
      if (role !== 'agent') throw new ChatError('forbidden', 'Only agents choose a conversation; a visitor has one')
      if (typeof next !== 'string' || next === '') throw new TypeError('openConversation: roomId must be a non-empty string')
      if (next === room.id) return
      batch(() => {
        room.open(next)
        $lost.set(undefined)
      })
      if (!link.session) return
      await room.join()
      sender.flush()
    },

    ...requests,

    setContext(context) {
      if (role !== 'visitor') throw new ChatError('forbidden', 'Only visitors report where they are')
      handshake.setContext(checkedContext(context)!)
      sendContext()
    },

    async setContact(update) {
      if (role !== 'visitor') throw new ChatError('forbidden', 'Only visitors tell about themselves')
      return site.tell(update, link, room.id)
    },

    identify(next) {
      if (role !== 'visitor') throw new ChatError('forbidden', 'Only visitors are identified; agents use their token')
      if (next !== undefined && (typeof next !== 'object' || typeof next.userId !== 'string' || typeof next.userHash !== 'string')) {
        throw new TypeError('identify: give { userId, userHash, name?, email? } with userHash signed by your backend')
      }
      tabLink?.regroup(tabGroup(options.storageKey, next))
      handshake.setIdentity(next)
      identityChanged = true
      connection.dispatch({ type: 'restart' })
    },

    on: (event, listener) => events.on(event, listener),

    destroy() {
      persistence.dispose()
      unsubscribePage.forEach((unsubscribe) => unsubscribe?.())
      unsubscribeContact?.()
      connection.stop()
      tabLink?.stop()
      typists.clear()
      sender.dispose()
      attachments.dispose()
      reactions.dispose()
      room.dispose()
      events.events = {}
    },
  }

  persistence.wake()
  if (options.autoConnect !== false) client.connect()
  return client
}
