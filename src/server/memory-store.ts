/**
 * The in-process store: everything lives in maps and is lost when the process exits. Each method
 * finishes its work synchronously before its promise settles, which is what makes `appendMessage`
 * atomic here. Stored records are frozen and replaced, never changed: callers get the records
 * themselves, which they cannot edit, instead of a copy on every read. Values coming in are copied.
 */
import { randomUUID } from 'node:crypto'
import type { Author, ConversationStatus, Role, Watermarks, WireMessage } from '../protocol'
import { frozenCopy } from './frozen-copy'
import { pageRange } from './page-range'
import type { AppendResult, MessagePage, NewMessage, PageQuery, StoredConversation, Store } from './store'

interface Room {
  /** Frozen; each change puts a new one in its place. */
  conversation: StoredConversation
  /** Frozen messages; index is `seq - 1`: seqs are dense, so a page is a slice. */
  messages: WireMessage[]
  seqByClientId: Map<string, number>
  seqById: Map<string, number>
  /** Ascending seqs of each role's messages, for counting unread by binary search. */
  seqsByRole: Record<Role, number[]>
}

export interface MemoryStoreOptions {
  /** Makes room ids; defaults to random UUIDs. */
  newRoomId?: () => string
}

export class MemoryStore implements Store {
  private readonly rooms = new Map<string, Room>()
  private readonly roomByVisitor = new Map<string, string>()
  private readonly newRoomId: () => string

  constructor(options: MemoryStoreOptions = {}) {
    this.newRoomId = options.newRoomId ?? randomUUID
  }

  async conversationForVisitor(visitor: Author, now: number): Promise<StoredConversation> {
    const existing = this.roomByVisitor.get(visitor.id)
    if (existing !== undefined) return this.room(existing).conversation
    const roomId = this.newRoomId()
    const conversation: StoredConversation = frozenCopy({
      roomId,
      visitor,
      status: 'open',
      lastSeq: 0,
      watermarks: { visitor: { delivered: 0, read: 0 }, agent: { delivered: 0, read: 0 } },
      authored: { visitor: 0, agent: 0 },
      createdAt: now,
      updatedAt: now,
    })
    this.rooms.set(roomId, {
      conversation,
      messages: [],
      seqByClientId: new Map(),
      seqById: new Map(),
      seqsByRole: { visitor: [], agent: [] },
    })
    this.roomByVisitor.set(visitor.id, roomId)
    return conversation
  }

  async getConversation(roomId: string): Promise<StoredConversation | undefined> {
    return this.rooms.get(roomId)?.conversation
  }

  async listConversations(limit: number): Promise<StoredConversation[]> {
    return [...this.rooms.values()]
      .map((room) => room.conversation)
      .sort((a, b) => b.updatedAt - a.updatedAt || b.createdAt - a.createdAt)
      .slice(0, Math.max(0, limit))
  }

  async appendMessage(input: NewMessage, newId: string): Promise<AppendResult> {
    const room = this.room(input.roomId)
    const earlier = room.seqByClientId.get(input.clientId)
    if (earlier !== undefined) return { message: this.at(room, earlier), created: false }

    const conversation = room.conversation
    const role = input.author.role
    const seq = conversation.lastSeq + 1
    const message: WireMessage = Object.freeze({
      id: newId,
      clientId: input.clientId,
      roomId: input.roomId,
      seq,
      author: frozenCopy(input.author),
      text: input.text,
      createdAt: input.createdAt,
    })
    room.messages.push(message)
    room.seqByClientId.set(input.clientId, seq)
    room.seqById.set(newId, seq)
    room.seqsByRole[role].push(seq)
    room.conversation = Object.freeze({
      ...conversation,
      lastSeq: seq,
      lastMessage: message,
      authored: Object.freeze({ ...conversation.authored, [role]: conversation.authored[role] + 1 }),
      updatedAt: Math.max(conversation.updatedAt, input.createdAt),
    })
    return { message, created: true }
  }

  async getMessage(roomId: string, id: string): Promise<WireMessage | undefined> {
    const room = this.rooms.get(roomId)
    const seq = room?.seqById.get(id)
    return room && seq !== undefined ? this.at(room, seq) : undefined
  }

  async updateMessage(
    roomId: string,
    id: string,
    patch: Pick<WireMessage, 'text'> & Partial<Pick<WireMessage, 'editedAt' | 'deleted'>>,
  ): Promise<WireMessage | undefined> {
    const room = this.rooms.get(roomId)
    const seq = room?.seqById.get(id)
    if (!room || seq === undefined) return undefined
    const message: WireMessage = Object.freeze({
      ...this.at(room, seq),
      text: patch.text,
      ...(patch.editedAt !== undefined && { editedAt: patch.editedAt }),
      ...(patch.deleted !== undefined && { deleted: patch.deleted }),
    })
    room.messages[seq - 1] = message
    if (seq === room.conversation.lastSeq) room.conversation = Object.freeze({ ...room.conversation, lastMessage: message })
    return message
  }

  async getMessages(roomId: string, query: PageQuery): Promise<MessagePage> {
    const room = this.room(roomId)
    const { from, to, hasMore } = pageRange(query, room.conversation.lastSeq)
    const messages = from <= to ? room.messages.slice(from - 1, to) : []
    return { messages, hasMore }
  }

  async countAuthoredAfter(roomId: string, role: Role, afterSeq: number): Promise<number> {
    const seqs = this.room(roomId).seqsByRole[role]
    return seqs.length - firstIndexAbove(seqs, afterSeq)
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

  async setStatus(roomId: string, status: ConversationStatus, now: number): Promise<StoredConversation | undefined> {
    const room = this.rooms.get(roomId)
    if (!room) return undefined
    room.conversation = Object.freeze({ ...room.conversation, status, updatedAt: now })
    return room.conversation
  }

  async close(): Promise<void> {}

  private room(roomId: string): Room {
    const room = this.rooms.get(roomId)
    if (!room) throw new Error(`no conversation ${roomId}`)
    return room
  }

  private at(room: Room, seq: number): WireMessage {
    const message = room.messages[seq - 1]
    if (!message) throw new Error(`room ${room.conversation.roomId} has no seq ${seq}`)
    return message
  }
}

export function createMemoryStore(options?: MemoryStoreOptions): MemoryStore {
  return new MemoryStore(options)
}

/** Index of the first element greater than `value` in an ascending array. */
function firstIndexAbove(sorted: readonly number[], value: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((sorted[mid] as number) > value) hi = mid
    else lo = mid + 1
  }
  return lo
}
