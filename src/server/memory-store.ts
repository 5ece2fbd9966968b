/**
 * The in-process store: everything lives in maps and is lost when the process exits. Each method
 * finishes its work synchronously before its promise settles, which is what makes `appendMessage`
 * and `updateMessage` atomic here. Stored records are frozen and replaced, never changed: callers
 * get the records themselves, which they cannot edit, instead of a copy on every read. Values
 * coming in are copied.
 */
import type { AgentRead, Author, ConversationStatus, Role, VisitorContact, VisitorContext, Watermarks, WireMessage } from '../protocol'
import { countAbove, withReaction } from '../protocol'
import { frozenCopy } from './frozen-copy'
import { pageRange } from './page-range'
import { compareNewestFirst, matchesWords, searchWords } from './search-words'
import { compareSummaries, matchesQuery } from './summary-order'
import {
  NotFoundError,
  type AgentReadResult,
  type AppendResult,
  type ConversationQuery,
  type ConversationSummary,
  type MessagePage,
  type MessagePatch,
  type NewMessage,
  type PageQuery,
  type ReactionChange,
  type ReactionResult,
  type SearchQuery,
  type StoredConversation,
  type Store,
} from './store'

interface Room {
  /** Frozen; each change puts a new one in its place. */
  conversation: StoredConversation
  /** Frozen messages; index is `seq - 1`: seqs are dense, so a page is a slice. */
  messages: WireMessage[]
  seqByClientId: Map<string, number>
  seqById: Map<string, number>
  /** Ascending seqs of each role's messages, for counting unread by binary search. */
  seqsByRole: Record<Role, number[]>
  /** Seqs in the order of their latest change; a seq changed again moves to the end. */
  changed: number[]
  /** Each agent's own read mark, by agent id. */
  agentReads: Map<string, number>
  /** The highest seq e-mailed to the visitor (`claimFollowUp`). */
  followedUpSeq: number
}

const NO_WATERMARKS: Watermarks = Object.freeze({
  visitor: Object.freeze({ delivered: 0, read: 0 }),
  agent: Object.freeze({ delivered: 0, read: 0 }),
})

export class MemoryStore implements Store {
  private readonly rooms = new Map<string, Room>()
  private readonly roomByVisitor = new Map<string, string>()

  async findVisitorConversation(visitorId: string): Promise<StoredConversation | undefined> {
    const roomId = this.roomByVisitor.get(visitorId)
    return roomId === undefined ? undefined : this.rooms.get(roomId)?.conversation
  }

  async openVisitorConversation(visitor: Author, roomId: string, now: number): Promise<StoredConversation> {
    const existing = this.roomByVisitor.get(visitor.id)
    if (existing !== undefined) return this.room(existing).conversation
    if (this.rooms.has(roomId)) throw new Error(`room ${roomId} already belongs to another visitor`)
    const conversation: StoredConversation = frozenCopy({
      roomId,
      visitor,
      status: 'open',
      lastSeq: 0,
      lastChangeSeq: 0,
      watermarks: NO_WATERMARKS,
      createdAt: now,
      updatedAt: now,
    })
    this.rooms.set(roomId, {
      conversation,
      messages: [],
      seqByClientId: new Map(),
      seqById: new Map(),
      seqsByRole: { visitor: [], agent: [] },
      changed: [],
      agentReads: new Map(),
      followedUpSeq: 0,
    })
    this.roomByVisitor.set(visitor.id, roomId)
    return conversation
  }

  async getConversation(roomId: string): Promise<StoredConversation | undefined> {
    return this.rooms.get(roomId)?.conversation
  }

  async getSummary(roomId: string): Promise<ConversationSummary | undefined> {
    const room = this.rooms.get(roomId)
    return room && summarize(room)
  }

  async listConversations(query: ConversationQuery): Promise<ConversationSummary[]> {
    return [...this.rooms.values()]
      .map((room) => room.conversation)
      .filter((conversation) => matchesQuery(conversation, query))
      .sort(compareSummaries)
      .slice(0, Math.max(0, Math.floor(query.limit)))
      .map((conversation) => summarize(this.room(conversation.roomId)))
  }

  async appendMessage(input: NewMessage, id: string): Promise<AppendResult> {
    const room = this.room(input.roomId)
    const earlier = room.seqByClientId.get(input.clientId)
    if (earlier !== undefined) return { message: this.at(room, earlier), created: false }

    const conversation = room.conversation
    const seq = conversation.lastSeq + 1
    const message: WireMessage = Object.freeze({
      id,
      clientId: input.clientId,
      roomId: input.roomId,
      seq,
      author: frozenCopy(input.author),
      text: input.text,
      createdAt: input.createdAt,
      ...(input.attachment && { attachment: frozenCopy(input.attachment) }),
    })
    room.messages.push(message)
    room.seqByClientId.set(input.clientId, seq)
    room.seqById.set(id, seq)
    room.seqsByRole[input.author.role].push(seq)
    room.conversation = Object.freeze({
      ...conversation,
      lastSeq: seq,
      lastMessage: message,
      updatedAt: Math.max(conversation.updatedAt, input.createdAt),
    })
    return { message, created: true }
  }

  async getMessage(roomId: string, id: string): Promise<WireMessage | undefined> {
    const room = this.rooms.get(roomId)
    const seq = room?.seqById.get(id)
    return room && seq !== undefined ? this.at(room, seq) : undefined
  }

  async updateMessage(roomId: string, id: string, patch: MessagePatch): Promise<WireMessage | undefined> {
    const room = this.room(roomId)
    const seq = room.seqById.get(id)
    if (seq === undefined) return undefined
    const { attachment: _attachment, reactions: _reactions, ...before } = this.at(room, seq)
    const kept = patch.deleted ? before : this.at(room, seq)
    return this.replace(room, seq, {
      ...kept,
      ...(patch.delivery ? { delivery: frozenCopy(patch.delivery) } : { text: patch.text }),
      ...(patch.editedAt !== undefined && { editedAt: patch.editedAt }),
      ...(patch.deleted && { deleted: true }),
    })
  }

  async setReaction(roomId: string, id: string, { userId, emoji, on }: ReactionChange): Promise<ReactionResult | undefined> {
    const room = this.room(roomId)
    const seq = room.seqById.get(id)
    if (seq === undefined) return undefined
    const message = this.at(room, seq)
    const reactions = withReaction(message.reactions, emoji, userId, on)
    if (reactions === message.reactions) return { message, changed: false }
    const { reactions: _before, ...rest } = message
    return { message: this.replace(room, seq, reactions ? { ...rest, reactions: frozenCopy(reactions) } : rest), changed: true }
  }

  /** Puts a changed message in place under the room's next change number. */
  private replace(room: Room, seq: number, changed: WireMessage): WireMessage {
    const changeSeq = room.conversation.lastChangeSeq + 1
    const message: WireMessage = Object.freeze({ ...changed, changeSeq })
    room.messages[seq - 1] = message
    const at = room.changed.indexOf(seq)
    if (at !== -1) room.changed.splice(at, 1)
    room.changed.push(seq)
    room.conversation = Object.freeze({
      ...room.conversation,
      lastChangeSeq: changeSeq,
      ...(seq === room.conversation.lastSeq && { lastMessage: message }),
    })
    return message
  }

  async getMessages(roomId: string, query: PageQuery): Promise<MessagePage> {
    const room = this.room(roomId)
    const { from, to, hasMore } = pageRange(query, room.conversation.lastSeq)
    const messages = from <= to ? room.messages.slice(from - 1, to) : []
    return { messages, hasMore }
  }

  async getChanges(roomId: string, afterChangeSeq: number, limit: number): Promise<MessagePage> {
    const room = this.room(roomId)
    const after = room.changed.filter((seq) => (this.at(room, seq).changeSeq ?? 0) > afterChangeSeq)
    const count = Math.max(0, Math.floor(limit))
    return { messages: after.slice(0, count).map((seq) => this.at(room, seq)), hasMore: after.length > count }
  }

  async raiseWatermark(roomId: string, role: Role, kind: 'delivered' | 'read', upToSeq: number): Promise<Watermarks> {
    const room = this.room(roomId)
    const { watermarks, lastSeq } = room.conversation
    const raised = Math.min(upToSeq, lastSeq)
    if (!(raised > watermarks[role][kind])) return watermarks
    room.conversation = Object.freeze({
      ...room.conversation,
      watermarks: Object.freeze({ ...watermarks, [role]: Object.freeze({ ...watermarks[role], [kind]: raised }) }),
    })
    return room.conversation.watermarks
  }

  async setStatus(roomId: string, status: ConversationStatus, now: number): Promise<StoredConversation> {
    const room = this.room(roomId)
    room.conversation = Object.freeze({ ...room.conversation, status, updatedAt: now })
    return room.conversation
  }

  /** A scan of every message: fine for tests and small embedded use, which is what this store is for. */
  async searchMessages(query: SearchQuery): Promise<WireMessage[]> {
    const words = searchWords(query.text)
    const limit = Math.max(0, Math.floor(query.limit))
    if (words.length === 0 || limit === 0) return []
    const before = query.before ?? Infinity
    const found: WireMessage[] = []
    for (const room of this.rooms.values()) {
      for (const message of room.messages) {
        if (!message.deleted && message.createdAt < before && matchesWords(message.text, words)) found.push(message)
      }
    }
    return found.sort(compareNewestFirst).slice(0, limit)
  }

  async deleteClosedBefore(cutoff: number): Promise<string[]> {
    const deleted: string[] = []
    for (const [roomId, { conversation }] of this.rooms) {
      if (conversation.status !== 'closed' || !(conversation.updatedAt < cutoff)) continue
      this.rooms.delete(roomId)
      if (this.roomByVisitor.get(conversation.visitor.id) === roomId) this.roomByVisitor.delete(conversation.visitor.id)
      deleted.push(roomId)
    }
    return deleted
  }

  async setAssignee(roomId: string, assignee: Author | undefined): Promise<StoredConversation> {
    const room = this.room(roomId)
    const { assignee: _previous, ...rest } = room.conversation
    room.conversation = Object.freeze(assignee ? { ...rest, assignee: frozenCopy(assignee) } : rest)
    return room.conversation
  }

  async setContext(roomId: string, context: VisitorContext): Promise<void> {
    const room = this.room(roomId)
    room.conversation = Object.freeze({ ...room.conversation, context: frozenCopy(context) })
  }

  async close(): Promise<void> {}

  async raiseAgentRead(roomId: string, agentId: string, upToSeq: number): Promise<AgentReadResult> {
    const room = this.room(roomId)
    const held = room.agentReads.get(agentId)
    const raised = Math.max(held ?? 0, Math.min(upToSeq, room.conversation.lastSeq))
    room.agentReads.set(agentId, raised)
    return { ...agentRead(room, raised), changed: held === undefined || raised > held }
  }

  async getAgentReads(agentId: string, roomIds: readonly string[]): Promise<Map<string, AgentRead>> {
    const reads = new Map<string, AgentRead>()
    for (const roomId of roomIds) {
      const room = this.rooms.get(roomId)
      const upToSeq = room?.agentReads.get(agentId)
      if (room && upToSeq !== undefined) reads.set(roomId, agentRead(room, upToSeq))
    }
    return reads
  }

  async setContact(roomId: string, contact: VisitorContact): Promise<void> {
    const room = this.room(roomId)
    room.conversation = Object.freeze({ ...room.conversation, contact: frozenCopy(contact) })
  }

  async claimFollowUp(roomId: string, upToSeq: number): Promise<number | undefined> {
    const room = this.room(roomId)
    const before = room.followedUpSeq
    if (upToSeq <= before) return undefined
    room.followedUpSeq = upToSeq
    return before
  }

  private room(roomId: string): Room {
    const room = this.rooms.get(roomId)
    if (!room) throw new NotFoundError(`conversation ${roomId}`)
    return room
  }

  private at(room: Room, seq: number): WireMessage {
    const message = room.messages[seq - 1]
    if (!message) throw new Error(`room ${room.conversation.roomId} has no seq ${seq}`)
    return message
  }
}

export function createMemoryStore(): MemoryStore {
  return new MemoryStore()
}

function agentRead(room: Room, upToSeq: number): AgentRead {
  const visitorSeqs = room.seqsByRole.visitor
  return { upToSeq, visitorMessages: visitorSeqs.length - countAbove(visitorSeqs, upToSeq) }
}

function summarize(room: Room): ConversationSummary {
  const { conversation, seqsByRole } = room
  const { watermarks } = conversation
  return {
    ...conversation,
    unread: {
      visitor: countAbove(seqsByRole.agent, watermarks.visitor.read),
      agent: countAbove(seqsByRole.visitor, watermarks.agent.read),
    },
    visitorMessages: seqsByRole.visitor.length,
  }
}
