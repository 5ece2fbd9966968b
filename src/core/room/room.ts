/**
 * The open room, kept in step with the server: joined on every socket with what was missed,
 * holes filled, edits and deletes caught up by their change numbers, receipts and reads
 * reported. Holds the room's facts as stores (timeline, watermarks, the conversation as the
 * server last described it, presence); everything shown is derived from them (`view/stores.ts`).
 */
import { atom, batch } from 'nanostores'
import { emptyWatermarks, mergeWatermarks, raiseWatermark, type AgentRead, type Conversation, type Presence, type Role, type Watermarks, type WireMessage } from '../../protocol'
import { ChatError } from '../errors'
import type { Link } from '../transport/link'
import type { Broadcast } from '../transport/socket-link'
import type { Clock } from '../util/clock'
import { DeliveryReceipts } from './receipts'
import { CatchUp } from './catch-up'
import { applyChanges, applyJoin, conflict, emptyTimeline, findByClientId, insertMessages, prependOlder, type Timeline } from './timeline'

/** The server no longer has a conversation this client held. */
export interface ConversationLoss {
  roomId: string
  /** `restarted`: the server started the conversation over (its store lost it); `not_found`: it is gone. */
  reason: 'restarted' | 'not_found'
  /** When the client noticed, on its clock. */
  at: number
}

export interface RoomOptions {
  role: Role
  pageSize: number
  clock: Clock
  link: Link
  userId(): string | undefined
  /** Messages reached the timeline; the outbox lets go of its own among them. */
  admitted(messages: readonly WireMessage[]): void
  /** Someone else's message arrived live. */
  arrived(message: WireMessage): void
  /** The join's answer said this agent's own read mark of the room (for the lists' counts). */
  ownReadSaid(roomId: string, read: AgentRead): void
  /** The server lost the open conversation; the room has dropped what it held of it. */
  lost(loss: ConversationLoss): void
  reportError(error: ChatError): void
}

export class Room {
  readonly $roomId = atom<string | undefined>(undefined)
  readonly $timeline = atom<Timeline>(emptyTimeline)
  readonly $watermarks = atom<Watermarks>(emptyWatermarks())
  /** The conversation as the server last described it. */
  readonly $conversation = atom<Conversation | undefined>(undefined)
  readonly $presence = atom<Presence | undefined>(undefined)
  /** Agents: this agent's own read mark in the room, once the server or the agent said it (teammates' reads are in `$watermarks`). */
  readonly $ownRead = atom<number | undefined>(undefined)
  /** The socket generation the room was joined on; joined while that socket is the live one. */
  private joinedOn: number | undefined
  private readonly receipts: DeliveryReceipts
  private readonly catchUp: CatchUp

  constructor(private readonly options: RoomOptions) {
    this.receipts = new DeliveryReceipts(options.role, options.clock, options.link, this)
    this.catchUp = new CatchUp(this, options.link, options.pageSize, options.reportError)
  }

  get id(): string | undefined {
    return this.$roomId.get()
  }

  get timeline(): Timeline {
    return this.$timeline.get()
  }

  get joined(): boolean {
    const { link } = this.options
    return this.joinedOn !== undefined && this.joinedOn === link.generation && link.session !== undefined
  }

  /** True when this message of ours is on screen as the server has it. */
  shows(message: WireMessage): boolean {
    return message.roomId !== this.id || findByClientId(this.timeline, message.clientId)?.id === message.id
  }

  /** Makes `roomId` the open room, with nothing loaded yet; leaves the one open before. */
  open(roomId: string | undefined): void {
    const previous = this.id
    if (previous === roomId) return
    if (previous && this.joined) this.options.link.notify('leave_room', { roomId: previous })
    batch(() => {
      this.forget()
      this.$roomId.set(roomId)
      this.$presence.set(undefined)
    })
  }

  /**
   * Joins the open room on the live socket: the newest page the first time, what was missed
   * since on every rejoin. Throws the server's refusal, except that a room an agent had open and
   * the server no longer has is reported as lost and closed, so the agent can carry on.
   */
  async join(): Promise<void> {
    const { link, role, pageSize } = this.options
    const room = this.id
    if (!room) return
    const afterSeq = this.timeline.contiguousSeq
    const ack = await link.request('join_room', afterSeq === undefined ? { roomId: room, limit: pageSize } : { roomId: room, afterSeq, limit: pageSize })
    if (room !== this.id) return
    if (!ack.ok) {
      if (ack.error.code !== 'not_found' || role !== 'agent') throw new ChatError(ack.error.code, `join_room: ${ack.error.message}`)
      const held = afterSeq !== undefined
      this.open(undefined)
      if (!held) throw new ChatError('not_found', `join_room: ${ack.error.message}`)
      return this.options.lost({ roomId: room, reason: 'not_found', at: this.options.clock.now() })
    }
    if (afterSeq !== undefined && this.restarted(ack.conversation, afterSeq)) {
      this.forget()
      this.options.lost({ roomId: room, reason: 'restarted', at: this.options.clock.now() })
      return this.join()
    }
    this.joinedOn = link.generation
    const ownRead = this.readUpTo()
    const readOnServer = role === 'agent' ? (ack.conversation.readByMe?.upToSeq ?? 0) : ack.conversation.watermarks[role].read
    batch(() => {
      const messages = this.admit(ack.messages, room, 'join_room ack')
      this.$timeline.set(applyJoin(this.timeline, messages, afterSeq === undefined ? { hasOlder: ack.hasOlder } : undefined))
      if (afterSeq === undefined) this.catchUp.joinedFresh(ack.conversation.lastChangeSeq)
      this.receipts.reset(ack.conversation.watermarks[role].delivered)
      this.describe(ack.conversation)
      if (role === 'agent') this.raiseOwnRead(readOnServer)
      this.options.admitted(messages)
    })
    if (ack.conversation.readByMe) this.options.ownReadSaid(room, ack.conversation.readByMe)
    // A read made while offline reaches the server now.
    if (ownRead > readOnServer) link.notify('mark_read', { roomId: room, upToSeq: ownRead })
    this.receipts.report()
    // More than a page was missed, or a live message overtook the join's answer.
    this.catchUp.fillGaps(ack.hasMore)
    this.catchUp.changesUpTo(ack.conversation.lastChangeSeq)
  }

  /** Adds messages of the open room that fit the timeline; returns those admitted. */
  insert(messages: readonly WireMessage[], source: string): WireMessage[] {
    const room = this.id
    if (!room) return []
    const admitted = this.admit(messages, room, source)
    // Not batched: the message list settles once per task anyway (`view/settled.ts`).
    this.$timeline.set(insertMessages(this.timeline, admitted))
    this.options.admitted(admitted)
    return admitted
  }

  /** Applies changed messages (edits, deletes) to the messages held; returns those admitted. */
  applyChanges(messages: readonly WireMessage[], source: string): WireMessage[] {
    const room = this.id
    if (!room) return []
    const admitted = this.admit(messages, room, source)
    this.$timeline.set(applyChanges(this.timeline, admitted))
    return admitted
  }

  /** An edited, deleted or reacted-to message (a broadcast, or the answer to this user's own change). */
  changed(message: WireMessage, source: string): void {
    if (message.roomId !== this.id) return
    this.applyChanges([message], source)
    this.catchUp.changeSeen(message.changeSeq)
  }

  /** New messages are in: tell the server how far this side has them. */
  received(): void {
    this.receipts.report()
  }

  broadcast(event: Broadcast): void {
    const room = this.id
    switch (event.name) {
      case 'new_message': {
        const message = event.payload
        // Late news from a conversation this client has left is not an error.
        if (message.roomId !== room) return
        const before = this.timeline
        this.insert([message], event.name)
        if (this.timeline === before) return
        if (message.author.id !== this.options.userId()) this.options.arrived(message)
        this.catchUp.fillGaps()
        return this.receipts.report()
      }
      case 'message_edited':
      case 'message_deleted':
      case 'message_reacted':
        return this.changed(event.payload, event.name)
      case 'message_status_update':
        if (event.payload.roomId === room) this.$watermarks.set(mergeWatermarks(this.$watermarks.get(), event.payload.watermarks))
        return
      case 'connection_status_update':
        if (event.payload.roomId === room) this.$presence.set(event.payload.presence)
        return
      case 'agent_read':
        if (event.payload.roomId === room) this.raiseOwnRead(event.payload.upToSeq)
        return
      case 'conversation_updated':
        if (event.payload.roomId !== room) return
        this.describe(event.payload)
        return this.catchUp.changesUpTo(event.payload.lastChangeSeq)
    }
  }

  /** Everything loaded in the open room is read by this user. */
  markRead(): void {
    const { role, link } = this.options
    const room = this.id
    const upTo = this.timeline.contiguousSeq ?? 0
    if (!room || upTo <= this.readUpTo()) return
    batch(() => {
      this.$watermarks.set(raiseWatermark(this.$watermarks.get(), role, 'read', upTo))
      if (role === 'agent') this.raiseOwnRead(upTo)
    })
    if (this.joined) link.notify('mark_read', { roomId: room, upToSeq: upTo })
  }

  /** How far this user has read: an agent by its own mark (none yet: nothing), a visitor by its side's. */
  private readUpTo(): number {
    return this.options.role === 'agent' ? (this.$ownRead.get() ?? 0) : this.$watermarks.get().visitor.read
  }

  private raiseOwnRead(upTo: number): void {
    const held = this.$ownRead.get()
    if (held === undefined || upTo > held) this.$ownRead.set(upTo)
  }

  /** Loads the page before the oldest loaded message; resolves to how many came. */
  async loadOlder(): Promise<number> {
    const room = this.id
    const first = this.timeline.messages[0]
    if (!room || !first || !this.timeline.hasOlder) return 0
    const ack = await this.options.link.request('get_history', { roomId: room, beforeSeq: first.seq, limit: this.options.pageSize })
    if (!ack.ok) throw new ChatError(ack.error.code, `get_history: ${ack.error.message}`)
    if (room !== this.id) return 0
    const older = this.admit(ack.messages, room, 'get_history ack')
    this.$timeline.set(prependOlder(this.timeline, older, ack.hasMore))
    return older.length
  }

  /** Edits (with `text`) or deletes one of this user's confirmed messages; resolves to it as the server has it now. */
  async change(message: WireMessage, text?: string): Promise<WireMessage> {
    const { link } = this.options
    const { roomId, id } = message
    const ack = text === undefined ? await link.request('delete_message', { roomId, id }) : await link.request('edit_message', { roomId, id, text })
    const event = text === undefined ? 'delete_message' : 'edit_message'
    if (!ack.ok) throw new ChatError(ack.error.code, `${event}: ${ack.error.message}`)
    this.changed(ack.message, `${event} ack`)
    return ack.message
  }

  /** One of this user's own confirmed messages, loaded in the open room. */
  ownMessage(messageId: string): WireMessage {
    const message = this.timeline.messages.find((m) => m.id === messageId)
    if (!message) throw new ChatError('not_found', `No loaded message has id ${messageId}`)
    return message
  }

  dispose(): void {
    this.receipts.dispose()
  }

  /** Drops what is held of the open room, which stays open. */
  private forget(): void {
    this.joinedOn = undefined
    this.catchUp.reset()
    this.receipts.reset(0)
    this.$timeline.set(emptyTimeline)
    this.$watermarks.set(emptyWatermarks())
    this.$ownRead.set(undefined)
    this.$conversation.set(undefined)
  }

  /**
   * The server started the conversation over: it has fewer messages than this client holds, or
   * it was created at another time than the one this client joined. (A conversation not created
   * yet says 0, and a visitor's first message creates it: that is no restart.)
   */
  private restarted(conversation: Conversation, afterSeq: number): boolean {
    if (afterSeq === 0 && this.timeline.messages.length === 0) return false
    const held = this.$conversation.get()?.createdAt ?? 0
    return conversation.lastSeq < afterSeq || (held !== 0 && conversation.createdAt !== held)
  }

  private describe(conversation: Conversation): void {
    batch(() => {
      this.$watermarks.set(mergeWatermarks(this.$watermarks.get(), conversation.watermarks))
      this.$conversation.set(conversation)
      this.$presence.set(conversation.presence)
    })
  }

  /**
   * The messages of `room` that fit the timeline. Anything else — another room's message in an
   * answer about this one, an id or seq that contradicts what is held — is reported and left out.
   */
  private admit(messages: readonly WireMessage[], room: string, source: string): WireMessage[] {
    const admitted: WireMessage[] = []
    for (const message of messages) {
      const reason = message.roomId !== room ? `message ${message.id} belongs to ${message.roomId}, not ${room}` : conflict(this.timeline, message)
      if (reason === undefined) admitted.push(message)
      else this.options.reportError(new ChatError('invalid_event', `${source}: ${reason}`))
    }
    return admitted
  }
}
