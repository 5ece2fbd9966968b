/**
 * The store of record on SQL: SQLite or PostgreSQL through Kysely, one schema (`migrations/`).
 * Writes that number something (a message's seq, a change number, a watermark) run in one
 * transaction that first takes the room's write lock (engine.ts), then reads the counter and
 * writes the row and the counter together: two nodes writing one room queue on it, and a
 * failure leaves nothing half-written. The store answers only once the transaction has
 * committed, so the server never acknowledges what was not stored.
 */
import { withReaction } from '../../protocol'
import type { AgentRead, Author, ConversationStatus, Role, VisitorContact, VisitorContext, Watermarks, WireMessage } from '../../protocol'
import { pageRange } from '../page-range'
import { searchWords } from '../search-words'
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
} from '../store'
import type { SqlEngine } from './engine'
import { authorColumns, jsonColumns, toConversation, toMessage, toSummary, type ConversationRow } from './rows'
import { WATERMARK_COLUMN, type MessagesTable } from './schema'
import { searchQuery } from './search'
import { conversationsWithLastMessage, lockRoom, requireRoom, summaries, visitorMessagesUpTo } from './store-queries'

/** Rooms deleted per transaction by a retention sweep, so one sweep never holds the lock for long. */
const DELETE_BATCH = 100

export class SqlStore implements Store {
  constructor(readonly engine: SqlEngine) {}

  async findVisitorConversation(visitorId: string): Promise<StoredConversation | undefined> {
    const row = await conversationsWithLastMessage(this.engine).where('c.visitor_id', '=', visitorId).executeTakeFirst()
    return row && toConversation(row as ConversationRow)
  }

  async openVisitorConversation(visitor: Author, roomId: string, now: number): Promise<StoredConversation> {
    // Of racing inserts (any node) one wins; the others do nothing and read the winner's row.
    await this.engine.db
      .insertInto('conversations')
      .values({
        room_id: roomId,
        visitor_id: visitor.id,
        visitor_role: visitor.role,
        visitor_name: visitor.name ?? null,
        visitor_email: visitor.email ?? null,
        status: 'open',
        assignee_id: null,
        assignee_name: null,
        context: null,
        contact: null,
        followed_up_seq: 0,
        last_seq: 0,
        last_change_seq: 0,
        visitor_delivered: 0,
        visitor_read: 0,
        agent_delivered: 0,
        agent_read: 0,
        created_at: now,
        updated_at: now,
      })
      .onConflict((conflict) => conflict.doNothing())
      .execute()
    const conversation = await this.findVisitorConversation(visitor.id)
    if (!conversation) throw new Error(`room ${roomId} already belongs to another visitor`)
    return conversation
  }

  async getConversation(roomId: string): Promise<StoredConversation | undefined> {
    const row = await conversationsWithLastMessage(this.engine).where('c.room_id', '=', roomId).executeTakeFirst()
    return row && toConversation(row as ConversationRow)
  }

  async getSummary(roomId: string): Promise<ConversationSummary | undefined> {
    const row = await summaries(this.engine).where('c.room_id', '=', roomId).executeTakeFirst()
    return row && toSummary(row as never)
  }

  async listConversations(query: ConversationQuery): Promise<ConversationSummary[]> {
    const limit = Math.floor(query.limit)
    if (!(limit > 0)) return []
    const { sql } = this.engine.kysely
    // Byte order on both engines, as the other stores compare room ids.
    const roomId = this.engine.kind === 'postgres' ? sql`c.room_id collate "C"` : sql`c.room_id`
    const { status, assigneeId, after } = query
    let select = summaries(this.engine)
    if (status !== undefined) select = select.where('c.status', '=', status)
    if (assigneeId === null) select = select.where('c.assignee_id', 'is', null)
    else if (assigneeId !== undefined) select = select.where('c.assignee_id', '=', assigneeId)
    if (after) {
      // Keyset paging in the list's order: (updated_at desc, created_at desc, room_id asc).
      select = select.where(
        sql<boolean>`(c.updated_at < ${after.updatedAt} or (c.updated_at = ${after.updatedAt} and (c.created_at < ${after.createdAt} or (c.created_at = ${after.createdAt} and ${roomId} > ${after.roomId}))))`,
      )
    }
    const rows = await select
      .orderBy('c.updated_at', 'desc')
      .orderBy('c.created_at', 'desc')
      .orderBy(roomId)
      .limit(limit)
      .execute()
    return rows.map((row) => toSummary(row as never))
  }

  async appendMessage(input: NewMessage, id: string): Promise<AppendResult> {
    const { roomId, clientId, author, text, createdAt, attachment } = input
    return this.engine.write(async (tx) => {
      const room = await lockRoom(this.engine, tx, roomId)
      const earlier = await tx.selectFrom('messages').selectAll().where('room_id', '=', roomId).where('client_id', '=', clientId).executeTakeFirst()
      if (earlier) return { message: toMessage(earlier), created: false }
      const row: MessagesTable = {
        room_id: roomId,
        seq: room.last_seq + 1,
        id,
        client_id: clientId,
        ...authorColumns(author),
        text,
        created_at: createdAt,
        edited_at: null,
        deleted: 0,
        change_seq: null,
        delivery: null,
        ...jsonColumns({ attachment }),
      }
      await tx.insertInto('messages').values(row).execute()
      await tx
        .updateTable('conversations')
        .set({ last_seq: row.seq, updated_at: Math.max(room.updated_at, createdAt) })
        .where('room_id', '=', roomId)
        .execute()
      return { message: toMessage(row), created: true }
    })
  }

  async getMessage(roomId: string, id: string): Promise<WireMessage | undefined> {
    const row = await this.engine.db.selectFrom('messages').selectAll().where('room_id', '=', roomId).where('id', '=', id).executeTakeFirst()
    return row && toMessage(row)
  }

  async updateMessage(roomId: string, id: string, patch: MessagePatch): Promise<WireMessage | undefined> {
    const result = await this.change(roomId, id, (before) => ({
      ...before,
      text: patch.delivery ? before.text : patch.text,
      edited_at: patch.editedAt ?? before.edited_at,
      deleted: patch.deleted ? 1 : Number(before.deleted),
      delivery: patch.delivery ? JSON.stringify(patch.delivery) : before.delivery,
      ...(patch.deleted && { attachment: null, reactions: null }),
    }))
    return result?.message
  }

  async setReaction(roomId: string, id: string, { userId, emoji, on }: ReactionChange): Promise<ReactionResult | undefined> {
    return this.change(roomId, id, (before) => {
      const held = toMessage(before).reactions
      const reactions = withReaction(held, emoji, userId, on)
      // Only the reactions column: the message's file stays as it is.
      return reactions === held ? undefined : { ...before, reactions: jsonColumns({ reactions }).reactions }
    })
  }

  /**
   * Changes one message under the room's lock: `apply` returns the row as it should be, or
   * undefined when nothing changes (then no change number is taken).
   */
  private async change(roomId: string, id: string, apply: (before: MessagesTable) => MessagesTable | undefined): Promise<ReactionResult | undefined> {
    return this.engine.write(async (tx) => {
      const room = await lockRoom(this.engine, tx, roomId)
      const before = await tx.selectFrom('messages').selectAll().where('room_id', '=', roomId).where('id', '=', id).executeTakeFirst()
      if (!before) return undefined
      const applied = apply(before)
      if (!applied) return { message: toMessage(before), changed: false }
      const after: MessagesTable = { ...applied, change_seq: room.last_change_seq + 1 }
      await tx
        .updateTable('messages')
        .set({
          text: after.text,
          edited_at: after.edited_at,
          deleted: after.deleted,
          change_seq: after.change_seq,
          delivery: after.delivery,
          attachment: after.attachment,
          reactions: after.reactions,
        })
        .where('room_id', '=', roomId)
        .where('seq', '=', before.seq)
        .execute()
      await tx.updateTable('conversations').set({ last_change_seq: after.change_seq! }).where('room_id', '=', roomId).execute()
      return { message: toMessage(after), changed: true }
    })
  }

  async getMessages(roomId: string, query: PageQuery): Promise<MessagePage> {
    // Two reads without a transaction are safe: seqs up to last_seq are all written (appends
    // commit the message and the counter together) and never move.
    const room = await this.engine.db.selectFrom('conversations').select('last_seq').where('room_id', '=', roomId).executeTakeFirst()
    if (!room) throw new NotFoundError(`conversation ${roomId}`)
    const { from, to, hasMore } = pageRange(query, room.last_seq)
    if (from > to) return { messages: [], hasMore }
    const rows = await this.engine.db
      .selectFrom('messages')
      .selectAll()
      .where('room_id', '=', roomId)
      .where('seq', '>=', from)
      .where('seq', '<=', to)
      .orderBy('seq')
      .execute()
    return { messages: rows.map(toMessage), hasMore }
  }

  async getChanges(roomId: string, afterChangeSeq: number, limit: number): Promise<MessagePage> {
    await requireRoom(this.engine, roomId)
    const count = Math.max(0, Math.floor(limit))
    const rows = await this.engine.db
      .selectFrom('messages')
      .selectAll()
      .where('room_id', '=', roomId)
      .where('change_seq', '>', afterChangeSeq)
      .orderBy('change_seq')
      .limit(count + 1)
      .execute()
    return { messages: rows.slice(0, count).map(toMessage), hasMore: rows.length > count }
  }

  async raiseWatermark(roomId: string, role: Role, kind: 'delivered' | 'read', upToSeq: number): Promise<Watermarks> {
    const column = WATERMARK_COLUMN[role][kind]
    return this.engine.write(async (tx) => {
      const room = await lockRoom(this.engine, tx, roomId)
      const raised = Math.min(upToSeq, room.last_seq)
      if (raised > room[column]) {
        await tx.updateTable('conversations').set({ [column]: raised }).where('room_id', '=', roomId).execute()
        room[column] = raised
      }
      return {
        visitor: { delivered: room.visitor_delivered, read: room.visitor_read },
        agent: { delivered: room.agent_delivered, read: room.agent_read },
      }
    })
  }

  async setStatus(roomId: string, status: ConversationStatus, now: number): Promise<StoredConversation> {
    const result = await this.engine.db.updateTable('conversations').set({ status, updated_at: now }).where('room_id', '=', roomId).executeTakeFirst()
    if (Number(result.numUpdatedRows) === 0) throw new NotFoundError(`conversation ${roomId}`)
    const conversation = await this.getConversation(roomId)
    if (!conversation) throw new NotFoundError(`conversation ${roomId}`)
    return conversation
  }

  async setAssignee(roomId: string, assignee: Author | undefined): Promise<StoredConversation> {
    const result = await this.engine.db
      .updateTable('conversations')
      .set({ assignee_id: assignee?.id ?? null, assignee_name: assignee?.name ?? null })
      .where('room_id', '=', roomId)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) === 0) throw new NotFoundError(`conversation ${roomId}`)
    const conversation = await this.getConversation(roomId)
    if (!conversation) throw new NotFoundError(`conversation ${roomId}`)
    return conversation
  }

  async setContext(roomId: string, context: VisitorContext): Promise<void> {
    const result = await this.engine.db.updateTable('conversations').set({ context: JSON.stringify(context) }).where('room_id', '=', roomId).executeTakeFirst()
    if (Number(result.numUpdatedRows) === 0) throw new NotFoundError(`conversation ${roomId}`)
  }

  async setContact(roomId: string, contact: VisitorContact): Promise<void> {
    const result = await this.engine.db.updateTable('conversations').set({ contact: JSON.stringify(contact) }).where('room_id', '=', roomId).executeTakeFirst()
    if (Number(result.numUpdatedRows) === 0) throw new NotFoundError(`conversation ${roomId}`)
  }

  async claimFollowUp(roomId: string, upToSeq: number): Promise<number | undefined> {
    return this.engine.write(async (tx) => {
      const room = await tx.selectFrom('conversations').select('followed_up_seq').where('room_id', '=', roomId).$if(this.engine.rowLocks, (select) => select.forUpdate()).executeTakeFirst()
      if (!room) throw new NotFoundError(`conversation ${roomId}`)
      if (upToSeq <= room.followed_up_seq) return undefined
      await tx.updateTable('conversations').set({ followed_up_seq: upToSeq }).where('room_id', '=', roomId).execute()
      return room.followed_up_seq
    })
  }

  async searchMessages(query: SearchQuery): Promise<WireMessage[]> {
    const words = searchWords(query.text)
    const limit = Math.max(0, Math.floor(query.limit))
    if (words.length === 0 || limit === 0) return []
    const { rows } = await searchQuery(this.engine, words, limit, query.before).execute(this.engine.db)
    return rows.map(toMessage)
  }

  async deleteClosedBefore(cutoff: number): Promise<string[]> {
    const deleted: string[] = []
    for (;;) {
      const batch = await this.engine.write(async (tx) => {
        const rows = await tx
          .selectFrom('conversations')
          .select('room_id')
          .where('status', '=', 'closed')
          .where('updated_at', '<', cutoff)
          .orderBy('updated_at')
          .limit(DELETE_BATCH)
          .$if(this.engine.rowLocks, (select) => select.forUpdate())
          .execute()
        const roomIds = rows.map((row) => row.room_id)
        if (roomIds.length === 0) return roomIds
        await tx.deleteFrom('messages').where('room_id', 'in', roomIds).execute()
        await tx.deleteFrom('agent_reads').where('room_id', 'in', roomIds).execute()
        await tx.deleteFrom('conversations').where('room_id', 'in', roomIds).execute()
        return roomIds
      })
      deleted.push(...batch)
      if (batch.length < DELETE_BATCH) return deleted
    }
  }

  close(): Promise<void> {
    return this.engine.close()
  }

  async raiseAgentRead(roomId: string, agentId: string, upToSeq: number): Promise<AgentReadResult> {
    return this.engine.write(async (tx) => {
      const room = await lockRoom(this.engine, tx, roomId)
      const held = await tx.selectFrom('agent_reads').select('up_to_seq').where('room_id', '=', roomId).where('agent_id', '=', agentId).executeTakeFirst()
      const raised = Math.max(held?.up_to_seq ?? 0, Math.min(upToSeq, room.last_seq))
      const changed = held === undefined || raised > held.up_to_seq
      if (held === undefined) await tx.insertInto('agent_reads').values({ room_id: roomId, agent_id: agentId, up_to_seq: raised }).execute()
      else if (changed) await tx.updateTable('agent_reads').set({ up_to_seq: raised }).where('room_id', '=', roomId).where('agent_id', '=', agentId).execute()
      return { upToSeq: raised, visitorMessages: await visitorMessagesUpTo(tx, roomId, raised), changed }
    })
  }

  async getAgentReads(agentId: string, roomIds: readonly string[]): Promise<Map<string, AgentRead>> {
    const reads = new Map<string, AgentRead>()
    if (roomIds.length === 0) return reads
    const { sql } = this.engine.kysely
    const rows = await this.engine.db
      .selectFrom('agent_reads as r')
      .select([
        'r.room_id',
        'r.up_to_seq',
        sql<number>`(select count(*) from messages u where u.room_id = r.room_id and u.author_role = 'visitor' and u.seq <= r.up_to_seq)`.as('visitor_messages'),
      ])
      .where('r.agent_id', '=', agentId)
      .where('r.room_id', 'in', [...roomIds])
      .execute()
    for (const row of rows) reads.set(row.room_id, { upToSeq: row.up_to_seq, visitorMessages: Number(row.visitor_messages) })
    return reads
  }
}
