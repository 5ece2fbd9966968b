/**
 * The shared store: conversations and messages in Redis, so that any number of server nodes serve
 * the same rooms. Every write that must be atomic across nodes is one Lua script
 * (redis-store-scripts.ts); reads are plain commands. Key layout: redis-keys.ts. Conversations and
 * messages are durable (no TTL); configure Redis persistence (AOF/RDB) to keep them over restarts.
 */
import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { Author, ConversationStatus, Role, Watermarks, WireMessage } from '../protocol'
import { pageRange } from './page-range'
import { connectRedis, quitRedis } from './redis-client'
import { DEFAULT_KEY_PREFIX, redisKeys, type RedisKeys } from './redis-keys'
import { defineStoreScripts, type StoreScripts } from './redis-store-scripts'
import type { AppendResult, MessagePage, NewMessage, PageQuery, StoredConversation, Store } from './store'

export interface RedisStoreOptions {
  /** Prefix of every key. Default `obrolan:`. */
  keyPrefix?: string
  /** Makes room ids; defaults to random UUIDs. */
  newRoomId?: () => string
}

export type CreateRedisStoreOptions = RedisStoreOptions &
  (
    | { /** `redis://…` or `rediss://…`; the store opens the connection and `close()` quits it. */ url: string; client?: never }
    | { /** A connection you own; `close()` leaves it open. */ client: Redis; url?: never }
  )

/** An edit can lose a compare-and-set race only to another edit of the same message; a few tries settle it. */
const MAX_EDIT_ATTEMPTS = 16

export class RedisStore implements Store {
  private readonly client: Redis
  private readonly scripts: StoreScripts
  private readonly keys: RedisKeys
  private readonly newRoomId: () => string
  private readonly ownsClient: boolean

  /** Uses `client` as it is; pass `ownsClient` to have `close()` quit it. */
  constructor(client: Redis, options: RedisStoreOptions & { ownsClient?: boolean } = {}) {
    this.client = client
    this.scripts = defineStoreScripts(client)
    this.keys = redisKeys(options.keyPrefix ?? DEFAULT_KEY_PREFIX)
    this.newRoomId = options.newRoomId ?? randomUUID
    this.ownsClient = options.ownsClient ?? false
  }

  async conversationForVisitor(visitor: Author, now: number): Promise<StoredConversation> {
    const candidate = this.newRoomId()
    // Atomic get-or-create: of two nodes racing for one visitor, both end up in the same room.
    const roomId = await this.scripts.obrolanCreateConversation(
      this.keys.visitor(visitor.id),
      this.keys.conversation(candidate),
      this.keys.conversations,
      candidate,
      JSON.stringify(visitor),
      String(now),
    )
    const conversation = await this.getConversation(roomId)
    if (!conversation) throw new Error(`conversation ${roomId} of visitor ${visitor.id} is missing`)
    return conversation
  }

  async getConversation(roomId: string): Promise<StoredConversation | undefined> {
    return parseConversation(await this.client.hgetall(this.keys.conversation(roomId)))
  }

  async listConversations(limit: number): Promise<StoredConversation[]> {
    const count = Math.floor(limit)
    if (!(count > 0)) return []
    const roomIds = await this.client.zrevrange(this.keys.conversations, 0, count - 1)
    const hashes = await Promise.all(roomIds.map((roomId) => this.client.hgetall(this.keys.conversation(roomId))))
    return (
      hashes
        .map(parseConversation)
        .filter((conversation): conversation is StoredConversation => conversation !== undefined)
        // The sorted set orders ties in updatedAt by room id; the contract says newer createdAt first.
        .sort((a, b) => b.updatedAt - a.updatedAt || b.createdAt - a.createdAt)
    )
  }

  async appendMessage(input: NewMessage, newId: string): Promise<AppendResult> {
    const { roomId, clientId, author, text, createdAt } = input
    // Everything but the seq, which only the script knows: `{"seq":N,` is put in front of it.
    const body = JSON.stringify({ id: newId, clientId, roomId, author, text, createdAt }).slice(1)
    const [created, json] = await this.scripts.obrolanAppendMessage(
      this.keys.conversation(roomId),
      this.keys.messages(roomId),
      this.keys.clientIds(roomId),
      this.keys.messageIds(roomId),
      this.keys.authored(roomId, author.role),
      this.keys.conversations,
      roomId,
      clientId,
      newId,
      author.role,
      body,
      String(createdAt),
    )
    return { message: JSON.parse(json) as WireMessage, created: created === 1 }
  }

  async getMessage(roomId: string, id: string): Promise<WireMessage | undefined> {
    const found = await this.scripts.obrolanGetMessage(this.keys.messageIds(roomId), this.keys.messages(roomId), id)
    return found ? (JSON.parse(found[1]) as WireMessage) : undefined
  }

  async updateMessage(
    roomId: string,
    id: string,
    patch: Pick<WireMessage, 'text'> & Partial<Pick<WireMessage, 'editedAt' | 'deleted'>>,
  ): Promise<WireMessage | undefined> {
    for (let attempt = 0; attempt < MAX_EDIT_ATTEMPTS; attempt++) {
      const found = await this.scripts.obrolanGetMessage(this.keys.messageIds(roomId), this.keys.messages(roomId), id)
      if (!found) return undefined
      const [seq, before] = found
      const message = JSON.parse(before) as WireMessage
      message.text = patch.text
      if (patch.editedAt !== undefined) message.editedAt = patch.editedAt
      if (patch.deleted !== undefined) message.deleted = patch.deleted
      const replaced = await this.scripts.obrolanReplaceMessage(
        this.keys.messages(roomId),
        this.keys.conversation(roomId),
        seq,
        before,
        JSON.stringify(message),
      )
      if (replaced === 1) return message
    }
    throw new Error(`message ${id} in ${roomId} kept changing while being edited`)
  }

  async getMessages(roomId: string, query: PageQuery): Promise<MessagePage> {
    // Two round trips without a transaction are safe: seqs up to lastSeq are all written (the
    // append is atomic) and never move, so the range read stays valid whatever happens meanwhile.
    const lastSeq = await this.client.hget(this.keys.conversation(roomId), 'lastSeq')
    if (lastSeq === null) throw new Error(`no conversation ${roomId}`)
    const { from, to, hasMore } = pageRange(query, Number(lastSeq))
    if (from > to) return { messages: [], hasMore }
    const seqs = Array.from({ length: to - from + 1 }, (_, i) => String(from + i))
    const found = await this.client.hmget(this.keys.messages(roomId), ...seqs)
    const messages = found.map((json, i) => {
      if (json === null) throw new Error(`room ${roomId} has no seq ${seqs[i]}`)
      return JSON.parse(json) as WireMessage
    })
    return { messages, hasMore }
  }

  async countAuthoredAfter(roomId: string, role: Role, afterSeq: number): Promise<number> {
    return this.client.zcount(this.keys.authored(roomId, role), `(${afterSeq}`, '+inf')
  }

  async raiseWatermark(roomId: string, role: Role, kind: 'delivered' | 'read', upToSeq: number): Promise<Watermarks> {
    const [visitorDelivered, visitorRead, agentDelivered, agentRead] = await this.scripts.obrolanRaiseWatermark(
      this.keys.conversation(roomId),
      `${kind}:${role}`,
      String(upToSeq),
      roomId,
    )
    return {
      visitor: { delivered: Number(visitorDelivered), read: Number(visitorRead) },
      agent: { delivered: Number(agentDelivered), read: Number(agentRead) },
    }
  }

  async setStatus(roomId: string, status: ConversationStatus, now: number): Promise<StoredConversation | undefined> {
    const flat = await this.scripts.obrolanSetStatus(
      this.keys.conversation(roomId),
      this.keys.conversations,
      status,
      String(now),
      roomId,
    )
    return flat ? parseConversation(pairs(flat)) : undefined
  }

  async close(): Promise<void> {
    if (this.ownsClient) await quitRedis(this.client)
  }
}

/** A store on its own connection (`url`, quit by `close()`) or on yours (`client`). */
export async function createRedisStore(options: CreateRedisStoreOptions): Promise<RedisStore> {
  if (options.client) return new RedisStore(options.client, options)
  if (typeof options.url !== 'string') throw new TypeError('createRedisStore needs a url or a client')
  return new RedisStore(await connectRedis(options.url), { ...options, ownsClient: true })
}

function parseConversation(hash: Record<string, string>): StoredConversation | undefined {
  if (hash.roomId === undefined) return undefined
  const number = (field: string): number => Number(hash[field] ?? 0)
  return {
    roomId: hash.roomId,
    visitor: JSON.parse(hash.visitor ?? '{}') as Author,
    status: (hash.status ?? 'open') as ConversationStatus,
    lastSeq: number('lastSeq'),
    ...(hash.lastMessage !== undefined && { lastMessage: JSON.parse(hash.lastMessage) as WireMessage }),
    watermarks: {
      visitor: { delivered: number('delivered:visitor'), read: number('read:visitor') },
      agent: { delivered: number('delivered:agent'), read: number('read:agent') },
    },
    authored: { visitor: number('authored:visitor'), agent: number('authored:agent') },
    createdAt: number('createdAt'),
    updatedAt: number('updatedAt'),
  }
}

/** A flat [field, value, …] reply as an object. */
function pairs(flat: string[]): Record<string, string> {
  const hash: Record<string, string> = {}
  for (let i = 0; i + 1 < flat.length; i += 2) hash[flat[i] as string] = flat[i + 1] as string
  return hash
}
