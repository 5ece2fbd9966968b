/**
 * The shared store: conversations and messages in Redis, so that any number of server nodes serve
 * the same rooms. Every write that must be atomic across nodes is one Lua script
 * (redis-store-scripts.ts); reads are plain commands. Key layout: redis-keys.ts. Conversations and
 * messages are durable (no TTL); configure Redis persistence (AOF/RDB) to keep them over restarts.
 */
import type { Redis } from 'ioredis'
import { withReaction } from '../protocol'
import type { AgentRead, Author, ConversationStatus, Role, VisitorContact, VisitorContext, Watermarks, WireMessage } from '../protocol'
import { pageRange } from './page-range'
import { connectRedis, quitRedis } from './redis-client'
import { DEFAULT_KEY_PREFIX, redisKeys, type RedisKeys } from './redis-keys'
import { compareNewestFirst, matchesWords, searchWords } from './search-words'
import { defineStoreScripts, type StoreScripts } from './redis-store-scripts'
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
import { notFoundAware, pairs, parseConversation, parseSummary, type SummaryReply } from './redis-rows'
import { compareSummaries, matchesQuery } from './summary-order'

export interface RedisStoreOptions {
  /** Prefix of every key. Default `obrolan:`. */
  keyPrefix?: string
}

export type CreateRedisStoreOptions = RedisStoreOptions &
  (
    | { /** `redis://…` or `rediss://…`; the store opens the connection and `close()` quits it. */ url: string; client?: never }
    | { /** A connection you own; `close()` leaves it open. */ client: Redis; url?: never }
  )

/**
 * Redis has no text index here: a search reads messages room by room, most recently active rooms
 * first, and stops after this many messages. Deployments that search a large history use a SQL
 * database (`database`), whose index answers without a scan.
 */
export const REDIS_SEARCH_SCAN_LIMIT = 200_000
/** Rooms read per round trip during a search or a retention sweep. */
const SCAN_BATCH = 100

/** Rooms a list query reads at most, and how many per round trip. */
const MAX_LIST_SCAN = 20_000
const LIST_BATCH = 500

/** A change can lose a compare-and-set race only to another change of the same message; a few tries settle it. */
const MAX_EDIT_ATTEMPTS = 16

export class RedisStore implements Store {
  private readonly client: Redis
  private readonly scripts: StoreScripts
  private readonly keys: RedisKeys
  private readonly ownsClient: boolean

  /** Uses `client` as it is; pass `ownsClient` to have `close()` quit it. */
  constructor(client: Redis, options: RedisStoreOptions & { ownsClient?: boolean } = {}) {
    this.client = client
    this.scripts = defineStoreScripts(client)
    this.keys = redisKeys(options.keyPrefix ?? DEFAULT_KEY_PREFIX)
    this.ownsClient = options.ownsClient ?? false
  }

  async findVisitorConversation(visitorId: string): Promise<StoredConversation | undefined> {
    const roomId = await this.client.get(this.keys.visitor(visitorId))
    return roomId === null ? undefined : this.getConversation(roomId)
  }

  async openVisitorConversation(visitor: Author, roomId: string, now: number): Promise<StoredConversation> {
    // Atomic get-or-create: of two nodes racing for one visitor, both end up in the same room.
    const opened = await notFoundAware(
      this.scripts.obrolanCreateConversation(
        this.keys.visitor(visitor.id),
        this.keys.conversation(roomId),
        this.keys.conversations,
        roomId,
        JSON.stringify(visitor),
        String(now),
      ),
    )
    const conversation = await this.getConversation(opened)
    if (!conversation) throw new Error(`conversation ${opened} of visitor ${visitor.id} is missing`)
    return conversation
  }

  async getConversation(roomId: string): Promise<StoredConversation | undefined> {
    return parseConversation(await this.client.hgetall(this.keys.conversation(roomId)))
  }

  async getSummary(roomId: string): Promise<ConversationSummary | undefined> {
    return parseSummary(await this.summaryScript(this.client, roomId))
  }

  async listConversations(query: ConversationQuery): Promise<ConversationSummary[]> {
    const count = Math.floor(query.limit)
    if (!(count > 0)) return []
    // The sorted set is ordered by updatedAt alone; the contract breaks ties by createdAt, then
    // room id, and filters by status and assignee, which Redis has no index for. So the set is read
    // from the cursor's updatedAt down in batches, each filtered and ordered here, until the page
    // is full: a bounded scan (MAX_LIST_SCAN rooms), fine for the lists a Redis deployment keeps.
    const max = query.after ? String(query.after.updatedAt) : '+inf'
    const found: ConversationSummary[] = []
    for (let offset = 0; offset < MAX_LIST_SCAN; offset += LIST_BATCH) {
      const roomIds = await this.client.zrevrangebyscore(this.keys.conversations, max, '-inf', 'LIMIT', offset, LIST_BATCH)
      found.push(...(await this.summaries(roomIds)).filter((summary) => matchesQuery(summary, query)))
      // A batch can end inside a run of equal updatedAt; the next batch may still sort before it.
      if (roomIds.length < LIST_BATCH) break
      if (found.length >= count) {
        const last = await this.client.zscore(this.keys.conversations, roomIds[roomIds.length - 1]!)
        const next = await this.client.zrevrangebyscore(this.keys.conversations, max, '-inf', 'WITHSCORES', 'LIMIT', offset + LIST_BATCH, 1)
        if (next[1] === undefined || next[1] !== last) break
      }
    }
    return found.sort(compareSummaries).slice(0, count)
  }

  private async summaries(roomIds: string[]): Promise<ConversationSummary[]> {
    if (roomIds.length === 0) return []
    const pipeline = this.client.pipeline()
    for (const roomId of roomIds) void this.summaryScript(pipeline as unknown as Redis, roomId)
    const replies = (await pipeline.exec()) ?? []
    return replies
      .map(([error, reply]) => {
        if (error) throw error
        return parseSummary(reply as SummaryReply)
      })
      .filter((summary): summary is ConversationSummary => summary !== undefined)
  }

  async setAssignee(roomId: string, assignee: Author | undefined): Promise<StoredConversation> {
    const flat = await notFoundAware(this.scripts.obrolanSetField(this.keys.conversation(roomId), 'assignee', assignee ? JSON.stringify(assignee) : '', roomId))
    const conversation = parseConversation(pairs(flat))
    if (!conversation) throw new NotFoundError(`conversation ${roomId}`)
    return conversation
  }

  async setContext(roomId: string, context: VisitorContext): Promise<void> {
    await notFoundAware(this.scripts.obrolanSetField(this.keys.conversation(roomId), 'context', JSON.stringify(context), roomId))
  }

  async setContact(roomId: string, contact: VisitorContact): Promise<void> {
    await notFoundAware(this.scripts.obrolanSetField(this.keys.conversation(roomId), 'contact', JSON.stringify(contact), roomId))
  }

  async claimFollowUp(roomId: string, upToSeq: number): Promise<number | undefined> {
    const before = await notFoundAware(this.scripts.obrolanRaiseField(this.keys.conversation(roomId), 'followedUpSeq', upToSeq, roomId))
    return before === null ? undefined : Number(before)
  }

  async appendMessage(input: NewMessage, id: string): Promise<AppendResult> {
    const { roomId, clientId, author, text, createdAt, attachment } = input
    // Everything but the seq, which only the script knows: `{"seq":N,` is put in front of it.
    const body = JSON.stringify({ id, clientId, roomId, author, text, createdAt, ...(attachment && { attachment }) }).slice(1)
    const [created, json] = await notFoundAware(
      this.scripts.obrolanAppendMessage(
        this.keys.conversation(roomId),
        this.keys.messages(roomId),
        this.keys.clientIds(roomId),
        this.keys.messageIds(roomId),
        this.keys.authored(roomId, author.role),
        this.keys.conversations,
        roomId,
        clientId,
        id,
        body,
        String(createdAt),
      ),
    )
    return { message: JSON.parse(json) as WireMessage, created: created === 1 }
  }

  async getMessage(roomId: string, id: string): Promise<WireMessage | undefined> {
    const found = await this.scripts.obrolanGetMessage(this.keys.messageIds(roomId), this.keys.messages(roomId), id)
    return found ? (JSON.parse(found[1]) as WireMessage) : undefined
  }

  async updateMessage(roomId: string, id: string, patch: MessagePatch): Promise<WireMessage | undefined> {
    const result = await this.change(roomId, id, (message) => {
      if (patch.delivery) message.delivery = patch.delivery
      else message.text = patch.text
      if (patch.editedAt !== undefined) message.editedAt = patch.editedAt
      if (patch.deleted) {
        message.deleted = true
        delete message.attachment
        delete message.reactions
      }
      return true
    })
    return result?.message
  }

  async setReaction(roomId: string, id: string, { userId, emoji, on }: ReactionChange): Promise<ReactionResult | undefined> {
    return this.change(roomId, id, (message) => {
      const reactions = withReaction(message.reactions, emoji, userId, on)
      if (reactions === message.reactions) return false
      if (reactions) message.reactions = reactions
      else delete message.reactions
      return true
    })
  }

  /**
   * Changes one message by compare-and-set: `apply` edits a copy of it as read (and says whether
   * it changed anything); the script stores it under the room's next change number only if the
   * message is still what was read, else it is read again.
   */
  private async change(roomId: string, id: string, apply: (message: WireMessage) => boolean): Promise<ReactionResult | undefined> {
    if (!(await this.client.exists(this.keys.conversation(roomId)))) throw new NotFoundError(`conversation ${roomId}`)
    for (let attempt = 0; attempt < MAX_EDIT_ATTEMPTS; attempt++) {
      const found = await this.scripts.obrolanGetMessage(this.keys.messageIds(roomId), this.keys.messages(roomId), id)
      if (!found) return undefined
      const [seq, before] = found
      const { changeSeq: _previous, ...message } = JSON.parse(before) as WireMessage
      if (!apply(message)) return { message: JSON.parse(before) as WireMessage, changed: false }
      // The change number is the script's to give: `{"changeSeq":N,` goes in front of the rest.
      const stored = await this.scripts.obrolanReplaceMessage(
        this.keys.messages(roomId),
        this.keys.conversation(roomId),
        this.keys.changes(roomId),
        seq,
        before,
        JSON.stringify(message).slice(1),
      )
      if (stored !== null) return { message: JSON.parse(stored) as WireMessage, changed: true }
    }
    throw new Error(`message ${id} in ${roomId} kept changing while being edited`)
  }

  async getMessages(roomId: string, query: PageQuery): Promise<MessagePage> {
    // Two round trips without a transaction are safe: seqs up to lastSeq are all written (the
    // append is atomic) and never move, so the range read stays valid whatever happens meanwhile.
    const lastSeq = await this.client.hget(this.keys.conversation(roomId), 'lastSeq')
    if (lastSeq === null) throw new NotFoundError(`conversation ${roomId}`)
    const { from, to, hasMore } = pageRange(query, Number(lastSeq))
    if (from > to) return { messages: [], hasMore }
    return { messages: await this.messagesAt(roomId, Array.from({ length: to - from + 1 }, (_, i) => String(from + i))), hasMore }
  }

  async getChanges(roomId: string, afterChangeSeq: number, limit: number): Promise<MessagePage> {
    if (!(await this.client.exists(this.keys.conversation(roomId)))) throw new NotFoundError(`conversation ${roomId}`)
    const count = Math.max(0, Math.floor(limit))
    const seqs = await this.client.zrangebyscore(this.keys.changes(roomId), `(${afterChangeSeq}`, '+inf', 'LIMIT', 0, count + 1)
    const page = seqs.slice(0, count)
    // A message changed again between the two reads has a higher changeSeq than asked for, which
    // is still a change after `afterChangeSeq`: the page stays correct, only its order may bend.
    const messages = page.length ? await this.messagesAt(roomId, page) : []
    return { messages: messages.sort((a, b) => (a.changeSeq ?? 0) - (b.changeSeq ?? 0)), hasMore: seqs.length > count }
  }

  async raiseWatermark(roomId: string, role: Role, kind: 'delivered' | 'read', upToSeq: number): Promise<Watermarks> {
    const [visitorDelivered, visitorRead, agentDelivered, agentRead] = await notFoundAware(
      this.scripts.obrolanRaiseWatermark(this.keys.conversation(roomId), `${kind}:${role}`, String(upToSeq), roomId),
    )
    return {
      visitor: { delivered: Number(visitorDelivered), read: Number(visitorRead) },
      agent: { delivered: Number(agentDelivered), read: Number(agentRead) },
    }
  }

  async setStatus(roomId: string, status: ConversationStatus, now: number): Promise<StoredConversation> {
    const flat = await notFoundAware(
      this.scripts.obrolanSetStatus(this.keys.conversation(roomId), this.keys.conversations, status, String(now), roomId),
    )
    const conversation = parseConversation(pairs(flat))
    if (!conversation) throw new NotFoundError(`conversation ${roomId}`)
    return conversation
  }

  async searchMessages(query: SearchQuery): Promise<WireMessage[]> {
    const words = searchWords(query.text)
    const limit = Math.max(0, Math.floor(query.limit))
    if (words.length === 0 || limit === 0) return []
    const before = query.before ?? Infinity
    const found: WireMessage[] = []
    let scanned = 0
    for (let start = 0; scanned < REDIS_SEARCH_SCAN_LIMIT; start += SCAN_BATCH) {
      const roomIds = await this.client.zrevrange(this.keys.conversations, start, start + SCAN_BATCH - 1)
      if (roomIds.length === 0) break
      const pipeline = this.client.pipeline()
      for (const roomId of roomIds) pipeline.hvals(this.keys.messages(roomId))
      for (const [error, values] of (await pipeline.exec()) ?? []) {
        if (error) throw error
        for (const json of values as string[]) {
          scanned++
          const message = JSON.parse(json) as WireMessage
          if (!message.deleted && message.createdAt < before && matchesWords(message.text, words)) found.push(message)
        }
      }
    }
    return found.sort(compareNewestFirst).slice(0, limit)
  }

  async deleteClosedBefore(cutoff: number): Promise<string[]> {
    // The list is scored by updatedAt, so only rooms quiet since the cutoff are looked at.
    const candidates = await this.client.zrangebyscore(this.keys.conversations, '-inf', `(${cutoff}`)
    const deleted: string[] = []
    for (const roomId of candidates) {
      const visitor = await this.client.hget(this.keys.conversation(roomId), 'visitor')
      if (visitor === null) continue
      const done = await this.scripts.obrolanDeleteClosed(
        this.keys.conversation(roomId),
        this.keys.messages(roomId),
        this.keys.clientIds(roomId),
        this.keys.messageIds(roomId),
        this.keys.authored(roomId, 'visitor'),
        this.keys.authored(roomId, 'agent'),
        this.keys.changes(roomId),
        this.keys.conversations,
        this.keys.visitor((JSON.parse(visitor) as Author).id),
        this.keys.agentReads(roomId),
        roomId,
        String(cutoff),
      )
      if (done === 1) deleted.push(roomId)
    }
    return deleted
  }

  async close(): Promise<void> {
    if (this.ownsClient) await quitRedis(this.client)
  }

  async raiseAgentRead(roomId: string, agentId: string, upToSeq: number): Promise<AgentReadResult> {
    const [mark, visitorMessages, changed] = await notFoundAware(
      this.scripts.obrolanRaiseAgentRead(this.keys.conversation(roomId), this.keys.agentReads(roomId), this.keys.authored(roomId, 'visitor'), agentId, String(upToSeq), roomId),
    )
    return { upToSeq: Number(mark), visitorMessages: Number(visitorMessages), changed: Number(changed) === 1 }
  }

  async getAgentReads(agentId: string, roomIds: readonly string[]): Promise<Map<string, AgentRead>> {
    const reads = new Map<string, AgentRead>()
    if (roomIds.length === 0) return reads
    const pipeline = this.client.pipeline() as unknown as StoreScripts & { exec(): Promise<[Error | null, unknown][] | null> }
    for (const roomId of roomIds) void pipeline.obrolanAgentRead(this.keys.agentReads(roomId), this.keys.authored(roomId, 'visitor'), agentId)
    const replies = (await pipeline.exec()) ?? []
    replies.forEach(([error, reply], i) => {
      if (error) throw error
      if (reply) {
        const [mark, visitorMessages] = reply as [string, number]
        reads.set(roomIds[i]!, { upToSeq: Number(mark), visitorMessages: Number(visitorMessages) })
      }
    })
    return reads
  }

  private async messagesAt(roomId: string, seqs: string[]): Promise<WireMessage[]> {
    const found = await this.client.hmget(this.keys.messages(roomId), ...seqs)
    return found.map((json, i) => {
      if (json === null) throw new Error(`room ${roomId} has no seq ${seqs[i]}`)
      return JSON.parse(json) as WireMessage
    })
  }

  /** Runs the summary script on `client`, which may be a pipeline (then the reply comes from exec). */
  private summaryScript(client: Redis, roomId: string): Promise<SummaryReply> {
    return (client as unknown as StoreScripts).obrolanSummary(
      this.keys.conversation(roomId),
      this.keys.authored(roomId, 'visitor'),
      this.keys.authored(roomId, 'agent'),
    )
  }
}

/** A store on its own connection (`url`, quit by `close()`) or on yours (`client`). */
export async function createRedisStore(options: CreateRedisStoreOptions): Promise<RedisStore> {
  if (options.client) return new RedisStore(options.client, options)
  if (typeof options.url !== 'string') throw new TypeError('createRedisStore needs a url or a client')
  return new RedisStore(await connectRedis(options.url), { ...options, ownsClient: true })
}
