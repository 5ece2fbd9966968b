/**
 * What every Store must do, as one suite run against each implementation (memory-store.test.ts,
 * redis-store.test.ts). `another` opens a second handle on the same data, the way a second server
 * node sees it, so the races between nodes are part of the contract too.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Author, WireMessage } from '../../src/protocol'
import { NotFoundError, type Store } from '../../src/server'

export interface StoreFactory {
  /** A new, empty store. */
  create(): Promise<Store>
  /** Another handle on the same data (a second connection); the memory store returns itself. */
  another(store: Store): Promise<Store>
}

const visitor: Author = { id: 'v1', role: 'visitor', name: 'Vee' }
const agent: Author = { id: 'a1', role: 'agent' }
const seqs = (messages: { seq: number }[]) => messages.map((m) => m.seq)

/** Tries to change a value the store handed out: a copy takes it, a frozen record throws. */
function attempt(change: () => void): void {
  try {
    change()
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError)
  }
}

export function describeStoreContract(name: string, factory: StoreFactory): void {
  const opened: Store[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()))
  })

  async function create(): Promise<Store> {
    const store = await factory.create()
    opened.push(store)
    return store
  }

  async function another(store: Store): Promise<Store> {
    const twin = await factory.another(store)
    if (twin !== store) opened.push(twin)
    return twin
  }

  async function roomWith(count: number) {
    const store = await create()
    const { roomId } = await store.openVisitorConversation(visitor, 'room-of-v1', 1000)
    for (let i = 1; i <= count; i++) {
      await store.appendMessage({ roomId, clientId: `c${i}`, author: i % 2 ? visitor : agent, text: `m${i}`, createdAt: 1000 + i }, `id${i}`)
    }
    return { store, roomId }
  }

  describe(`${name} (store contract)`, () => {
    it('gives each visitor one conversation, created when it is opened', async () => {
      const store = await create()
      expect(await store.findVisitorConversation(visitor.id)).toBeUndefined()
      expect(await store.listConversations({ limit: 10 })).toEqual([])
      const first = await store.openVisitorConversation(visitor, 'room-1', 5)
      const again = await store.openVisitorConversation(visitor, 'room-2', 9)
      expect(first).toMatchObject({ roomId: 'room-1', visitor, status: 'open', lastSeq: 0, lastChangeSeq: 0, createdAt: 5, updatedAt: 5 })
      expect(first.watermarks).toEqual({ visitor: { delivered: 0, read: 0 }, agent: { delivered: 0, read: 0 } })
      expect(first.lastMessage).toBeUndefined()
      expect(again.roomId).toBe('room-1')
      expect(again.createdAt).toBe(5)
      expect(await store.getConversation('room-1')).toEqual(first)
      expect(await store.findVisitorConversation(visitor.id)).toEqual(first)
      expect(await store.getConversation('room-2')).toBeUndefined()
      expect(await store.getSummary('room-1')).toEqual({ ...first, unread: { visitor: 0, agent: 0 }, visitorMessages: 0 })
    })

    it('answers lookups of unknown rooms with undefined and refuses everything else with NotFoundError', async () => {
      const store = await create()
      expect(await store.getConversation('nope')).toBeUndefined()
      expect(await store.getSummary('nope')).toBeUndefined()
      expect(await store.getMessage('nope', 'id1')).toBeUndefined()
      expect(await store.findVisitorConversation('nobody')).toBeUndefined()
      const refusals = [
        store.appendMessage({ roomId: 'nope', clientId: 'c', author: visitor, text: 'x', createdAt: 1 }, 'id1'),
        store.updateMessage('nope', 'id1', { text: 'x', editedAt: 2 }),
        store.getMessages('nope', { limit: 5 }),
        store.getChanges('nope', 0, 5),
        store.raiseWatermark('nope', 'visitor', 'read', 1),
        store.setStatus('nope', 'closed', 3),
      ]
      // Settled together: a networked store may reject one before the test awaits it.
      for (const outcome of await Promise.allSettled(refusals)) {
        expect(outcome.status).toBe('rejected')
        expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(NotFoundError)
      }
    })

    it('numbers messages 1, 2, 3 and keeps the conversation summary current', async () => {
      const { store, roomId } = await roomWith(3)
      const conversation = await store.getConversation(roomId)
      expect(conversation?.lastSeq).toBe(3)
      expect(conversation?.lastMessage).toEqual({
        id: 'id3',
        clientId: 'c3',
        roomId,
        seq: 3,
        author: visitor,
        text: 'm3',
        createdAt: 1003,
      })
      expect(conversation?.updatedAt).toBe(1003)
      expect((await store.getSummary(roomId))?.unread).toEqual({ visitor: 1, agent: 2 })
    })

    it('never moves updatedAt back for a message stamped earlier', async () => {
      const { store, roomId } = await roomWith(0)
      await store.appendMessage({ roomId, clientId: 'late', author: visitor, text: 'x', createdAt: 999 }, 'x1')
      expect((await store.getConversation(roomId))?.updatedAt).toBe(1000)
    })

    it('keeps text, names and timestamps exactly as given', async () => {
      const { store, roomId } = await roomWith(0)
      const author: Author = { id: 'v1', role: 'visitor', name: 'Zoë "Z" \\ 🎉', email: 'z@example.com' }
      const text = 'line 1\nline 2 \u2028 <b>not html</b> {"seq":99} \\u0041 😀'
      const { message } = await store.appendMessage({ roomId, clientId: 'exact', author, text, createdAt: 1_732_222_222_222.5 }, 'e1')
      expect(message).toEqual({ id: 'e1', clientId: 'exact', roomId, seq: 1, author, text, createdAt: 1_732_222_222_222.5 })
      expect(await store.getMessage(roomId, 'e1')).toEqual(message)
      expect((await store.getConversation(roomId))?.updatedAt).toBe(1_732_222_222_222.5)
    })

    it('stores each (roomId, clientId) once and answers a repeat with the first copy', async () => {
      const { store, roomId } = await roomWith(0)
      const input = { roomId, clientId: 'same', author: visitor, text: 'hello', createdAt: 1 }
      const first = await store.appendMessage(input, 'x1')
      const repeat = await store.appendMessage({ ...input, text: 'changed', createdAt: 2 }, 'x2')
      expect(first.created).toBe(true)
      expect(repeat.created).toBe(false)
      expect(repeat.message).toEqual(first.message)
      expect((await store.getConversation(roomId))?.lastSeq).toBe(1)
      expect(await store.getMessage(roomId, 'x2')).toBeUndefined()
    })

    it('gives concurrent appends distinct, dense seqs', async () => {
      const { store, roomId } = await roomWith(0)
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          store.appendMessage({ roomId, clientId: `c${i}`, author: visitor, text: 't', createdAt: i }, `id${i}`),
        ),
      )
      expect(new Set(results.map((r) => r.message.seq)).size).toBe(50)
      expect(Math.max(...results.map((r) => r.message.seq))).toBe(50)
    })

    it('keeps seqs dense when two handles (two nodes) append to one room at once', async () => {
      const { store, roomId } = await roomWith(0)
      const twin = await another(store)
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          (i % 2 ? twin : store).appendMessage(
            { roomId, clientId: `c${i}`, author: i % 3 ? visitor : agent, text: `t${i}`, createdAt: 2000 + i },
            `id${i}`,
          ),
        ),
      )
      expect(results.every((r) => r.created)).toBe(true)
      expect(results.map((r) => r.message.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1))
      const conversation = await twin.getSummary(roomId)
      expect(conversation?.lastSeq).toBe(100)
      expect(conversation?.unread).toEqual({ visitor: 34, agent: 66 })
      const page = await store.getMessages(roomId, { afterSeq: 0, limit: 100 })
      expect(seqs(page.messages)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1))
    })

    it('stores a clientId once when both handles race to append it', async () => {
      const { store, roomId } = await roomWith(0)
      const twin = await another(store)
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? twin : store).appendMessage({ roomId, clientId: 'retry-me', author: visitor, text: `try ${i}`, createdAt: i }, `id${i}`),
        ),
      )
      expect(results.filter((r) => r.created)).toHaveLength(1)
      const stored = results.find((r) => r.created)?.message
      for (const result of results) expect(result.message).toEqual(stored)
      expect((await store.getConversation(roomId))?.lastSeq).toBe(1)
    })

    it('gives a visitor one conversation when both handles race to create it', async () => {
      const store = await create()
      const twin = await another(store)
      const rooms = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? twin : store).openVisitorConversation({ id: 'racer', role: 'visitor' }, 'racer-room', 10 + i)),
      )
      expect(new Set(rooms.map((c) => c.roomId))).toEqual(new Set(['racer-room']))
      expect(new Set(rooms.map((c) => c.createdAt)).size).toBe(1)
      expect((await store.listConversations({ limit: 10 })).filter((c) => c.visitor.id === 'racer')).toHaveLength(1)
    })

    it('returns the newest page when neither afterSeq nor beforeSeq is given', async () => {
      const { store, roomId } = await roomWith(7)
      const page = await store.getMessages(roomId, { limit: 3 })
      expect(seqs(page.messages)).toEqual([5, 6, 7])
      expect(page.hasMore).toBe(true)
      const all = await store.getMessages(roomId, { limit: 10 })
      expect(seqs(all.messages)).toEqual([1, 2, 3, 4, 5, 6, 7])
      expect(all.hasMore).toBe(false)
      expect(await store.getMessages(roomId, { limit: 0 })).toEqual({ messages: [], hasMore: true })
    })

    it('pages backwards with beforeSeq', async () => {
      const { store, roomId } = await roomWith(7)
      const page = await store.getMessages(roomId, { beforeSeq: 5, limit: 3 })
      expect(seqs(page.messages)).toEqual([2, 3, 4])
      expect(page.hasMore).toBe(true)
      const last = await store.getMessages(roomId, { beforeSeq: 2, limit: 3 })
      expect(seqs(last.messages)).toEqual([1])
      expect(last.hasMore).toBe(false)
      expect(await store.getMessages(roomId, { beforeSeq: 1, limit: 3 })).toEqual({ messages: [], hasMore: false })
      expect(seqs((await store.getMessages(roomId, { beforeSeq: 99, limit: 2 })).messages)).toEqual([6, 7])
    })

    it('pages forwards with afterSeq', async () => {
      const { store, roomId } = await roomWith(7)
      const page = await store.getMessages(roomId, { afterSeq: 2, limit: 3 })
      expect(seqs(page.messages)).toEqual([3, 4, 5])
      expect(page.hasMore).toBe(true)
      const rest = await store.getMessages(roomId, { afterSeq: 5, limit: 3 })
      expect(seqs(rest.messages)).toEqual([6, 7])
      expect(rest.hasMore).toBe(false)
      expect(await store.getMessages(roomId, { afterSeq: 7, limit: 3 })).toEqual({ messages: [], hasMore: false })
      expect(await store.getMessages(roomId, { afterSeq: 99, limit: 3 })).toEqual({ messages: [], hasMore: false })
    })

    it('pages forwards between afterSeq and beforeSeq when given both', async () => {
      const { store, roomId } = await roomWith(9)
      const page = await store.getMessages(roomId, { afterSeq: 2, beforeSeq: 7, limit: 2 })
      expect(seqs(page.messages)).toEqual([3, 4])
      expect(page.hasMore).toBe(true)
      const rest = await store.getMessages(roomId, { afterSeq: 4, beforeSeq: 7, limit: 5 })
      expect(seqs(rest.messages)).toEqual([5, 6])
      expect(rest.hasMore).toBe(false)
    })

    it('pages an empty room', async () => {
      const { store, roomId } = await roomWith(0)
      expect(await store.getMessages(roomId, { limit: 5 })).toEqual({ messages: [], hasMore: false })
      expect(await store.getMessages(roomId, { afterSeq: 0, limit: 5 })).toEqual({ messages: [], hasMore: false })
      expect(await store.getChanges(roomId, 0, 5)).toEqual({ messages: [], hasMore: false })
    })

    it('raises watermarks monotonically and never past lastSeq', async () => {
      const { store, roomId } = await roomWith(4)
      expect((await store.raiseWatermark(roomId, 'visitor', 'read', 2)).visitor).toEqual({ delivered: 0, read: 2 })
      expect((await store.raiseWatermark(roomId, 'visitor', 'read', 1)).visitor.read).toBe(2)
      expect((await store.raiseWatermark(roomId, 'visitor', 'read', 99)).visitor.read).toBe(4)
      const marks = await store.raiseWatermark(roomId, 'agent', 'delivered', 3)
      expect(marks).toEqual({ visitor: { delivered: 0, read: 4 }, agent: { delivered: 3, read: 0 } })
      expect((await store.getConversation(roomId))?.watermarks).toEqual(marks)
    })

    it('ends at the highest watermark when both handles raise it at once', async () => {
      const { store, roomId } = await roomWith(40)
      const twin = await another(store)
      const targets = Array.from({ length: 40 }, (_, i) => (i * 7) % 41)
      await Promise.all(targets.map((upTo, i) => (i % 2 ? twin : store).raiseWatermark(roomId, 'agent', 'read', upTo)))
      expect((await store.getConversation(roomId))?.watermarks.agent.read).toBe(Math.min(40, Math.max(...targets)))
    })

    it('keeps each agent’s own read mark per room: made on first call, monotonic, clamped to lastSeq', async () => {
      const { store, roomId } = await roomWith(6) // visitor: 1, 3, 5; agent: 2, 4, 6
      const other = await store.openVisitorConversation({ id: 'v2', role: 'visitor' }, 'room-of-v2', 2000)
      await store.appendMessage({ roomId: other.roomId, clientId: 'o1', author: { id: 'v2', role: 'visitor' }, text: 'o1', createdAt: 2001 }, 'o1')
      expect(await store.getAgentReads('ayu', [roomId, other.roomId])).toEqual(new Map())
      expect((await store.getSummary(roomId))?.visitorMessages).toBe(3)
      // Opening (0) makes the mark; asking again for 0 changes nothing.
      expect(await store.raiseAgentRead(roomId, 'ayu', 0)).toEqual({ upToSeq: 0, visitorMessages: 0, changed: true })
      expect(await store.raiseAgentRead(roomId, 'ayu', 0)).toEqual({ upToSeq: 0, visitorMessages: 0, changed: false })
      expect(await store.raiseAgentRead(roomId, 'ayu', 3)).toEqual({ upToSeq: 3, visitorMessages: 2, changed: true })
      expect(await store.raiseAgentRead(roomId, 'ayu', 2)).toEqual({ upToSeq: 3, visitorMessages: 2, changed: false })
      expect(await store.raiseAgentRead(roomId, 'ayu', 99)).toEqual({ upToSeq: 6, visitorMessages: 3, changed: true })
      // Another agent's mark, and the team's watermark, are untouched by Ayu's.
      expect(await store.getAgentReads('budi', [roomId])).toEqual(new Map())
      expect((await store.getConversation(roomId))?.watermarks.agent.read).toBe(0)
      expect(await store.raiseAgentRead(roomId, 'budi', 1)).toEqual({ upToSeq: 1, visitorMessages: 1, changed: true })
      // Per room: Ayu's mark in the other room is its own.
      expect(await store.raiseAgentRead(other.roomId, 'ayu', 1)).toEqual({ upToSeq: 1, visitorMessages: 1, changed: true })
      const twin = await another(store)
      expect(await twin.getAgentReads('ayu', [roomId, other.roomId, 'nope'])).toEqual(
        new Map([
          [roomId, { upToSeq: 6, visitorMessages: 3 }],
          [other.roomId, { upToSeq: 1, visitorMessages: 1 }],
        ]),
      )
      expect(await twin.getAgentReads('budi', [roomId, other.roomId])).toEqual(new Map([[roomId, { upToSeq: 1, visitorMessages: 1 }]]))
      // A later visitor message is above every mark: the summary counts it, the marks do not.
      await store.appendMessage({ roomId, clientId: 'c7', author: visitor, text: 'm7', createdAt: 1007 }, 'id7')
      expect((await store.getSummary(roomId))?.visitorMessages).toBe(4)
      expect((await store.getAgentReads('ayu', [roomId])).get(roomId)).toEqual({ upToSeq: 6, visitorMessages: 3 })
      await expect(store.raiseAgentRead('nope', 'ayu', 1)).rejects.toBeInstanceOf(NotFoundError)
    })

    it('ends at the highest agent read mark when both handles raise it at once', async () => {
      const { store, roomId } = await roomWith(40)
      const twin = await another(store)
      const targets = Array.from({ length: 40 }, (_, i) => (i * 7) % 41)
      const results = await Promise.all(targets.map((upTo, i) => (i % 2 ? twin : store).raiseAgentRead(roomId, 'ayu', upTo)))
      expect((await store.getAgentReads('ayu', [roomId])).get(roomId)).toEqual({ upToSeq: 40, visitorMessages: 20 })
      // Each caller gets the mark as it is after its own raise: at least what it asked for (clamped).
      results.forEach((result, i) => expect(result.upToSeq).toBeGreaterThanOrEqual(Math.min(40, targets[i]!)))
    })

    it('counts each side’s unread messages above the other’s read mark even when the roles interleave', async () => {
      const { store, roomId } = await roomWith(6) // visitor: 1, 3, 5; agent: 2, 4, 6
      expect((await store.getSummary(roomId))?.unread).toEqual({ visitor: 3, agent: 3 })
      await store.raiseWatermark(roomId, 'agent', 'read', 3)
      await store.raiseWatermark(roomId, 'visitor', 'read', 3)
      expect((await store.getSummary(roomId))?.unread).toEqual({ visitor: 2, agent: 1 })
      await store.raiseWatermark(roomId, 'visitor', 'read', 6)
      const [listed] = await store.listConversations({ limit: 1 })
      expect(listed?.unread).toEqual({ visitor: 0, agent: 1 })
    })

    it('edits and tombstones messages, numbering each change and refreshing lastMessage', async () => {
      const { store, roomId } = await roomWith(2)
      const edited = await store.updateMessage(roomId, 'id1', { text: 'new', editedAt: 77 })
      expect(edited).toMatchObject({ seq: 1, text: 'new', editedAt: 77, changeSeq: 1 })
      expect(await store.getMessage(roomId, 'id1')).toEqual(edited)
      expect((await store.getConversation(roomId))?.lastMessage?.text).toBe('m2')
      const deleted = await store.updateMessage(roomId, 'id2', { text: '', deleted: true })
      expect(deleted).toMatchObject({ seq: 2, text: '', deleted: true, changeSeq: 2 })
      expect((await store.getConversation(roomId))?.lastMessage).toEqual(deleted)
      expect((await store.getConversation(roomId))?.lastChangeSeq).toBe(2)
      expect(await store.updateMessage(roomId, 'missing', { text: 'x', editedAt: 78 })).toBeUndefined()
      expect((await store.getConversation(roomId))?.lastChangeSeq).toBe(2)
    })

    it('records a message’s delivery on its channel as a change that keeps the text', async () => {
      const { store, roomId } = await roomWith(2)
      const sent = await store.updateMessage(roomId, 'id2', { delivery: { channel: 'whatsapp', status: 'sent' } })
      expect(sent).toMatchObject({ seq: 2, text: 'm2', changeSeq: 1, delivery: { channel: 'whatsapp', status: 'sent' } })
      expect(sent?.editedAt).toBeUndefined()
      const failed = await store.updateMessage(roomId, 'id2', { delivery: { channel: 'whatsapp', status: 'failed', error: 'outside the 24-hour window' } })
      expect(failed).toMatchObject({ text: 'm2', changeSeq: 2, delivery: { status: 'failed', error: 'outside the 24-hour window' } })
      expect(await store.getMessage(roomId, 'id2')).toEqual(failed)
      expect((await store.getChanges(roomId, 1, 10)).messages).toEqual([failed])
      expect((await store.getMessages(roomId, { limit: 10 })).messages[1]).toEqual(failed)
      expect((await store.getConversation(roomId))?.lastChangeSeq).toBe(2)
    })

    it('hands out changes after a change number, each message once in its latest form, in change order', async () => {
      const { store, roomId } = await roomWith(5)
      await store.updateMessage(roomId, 'id2', { text: 'two', editedAt: 1 }) // change 1
      await store.updateMessage(roomId, 'id4', { text: 'four', editedAt: 2 }) // change 2
      await store.updateMessage(roomId, 'id2', { text: 'two again', editedAt: 3 }) // change 3
      await store.updateMessage(roomId, 'id5', { text: '', deleted: true }) // change 4
      const all = await store.getChanges(roomId, 0, 10)
      expect(all.messages.map((m) => [m.seq, m.changeSeq, m.text])).toEqual([
        [4, 2, 'four'],
        [2, 3, 'two again'],
        [5, 4, ''],
      ])
      expect(all.hasMore).toBe(false)
      const first = await store.getChanges(roomId, 0, 2)
      expect(first.messages.map((m) => m.changeSeq)).toEqual([2, 3])
      expect(first.hasMore).toBe(true)
      const rest = await store.getChanges(roomId, 3, 2)
      expect(rest).toEqual({ messages: [await store.getMessage(roomId, 'id5')], hasMore: false })
      expect(await store.getChanges(roomId, 4, 2)).toEqual({ messages: [], hasMore: false })
      expect((await store.getMessages(roomId, { afterSeq: 1, limit: 1 })).messages[0]).toMatchObject({ text: 'two again', changeSeq: 3 })
    })

    it('numbers changes made through both handles at once without a gap or a repeat', async () => {
      const { store, roomId } = await roomWith(20)
      const twin = await another(store)
      const edits = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? twin : store).updateMessage(roomId, `id${i + 1}`, { text: `e${i}`, editedAt: i })),
      )
      expect(edits.map((m) => m?.changeSeq).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
      expect((await twin.getConversation(roomId))?.lastChangeSeq).toBe(20)
      expect((await store.getChanges(roomId, 0, 50)).messages.map((m) => m.changeSeq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    })

    it('loses neither of two changes to one message made at once through both handles', async () => {
      const { store, roomId } = await roomWith(1)
      const twin = await another(store)
      await Promise.all([
        store.updateMessage(roomId, 'id1', { text: 'edited', editedAt: 5 }),
        twin.updateMessage(roomId, 'id1', { text: '', deleted: true }),
      ])
      const final = await store.getMessage(roomId, 'id1')
      expect(final).toMatchObject({ editedAt: 5, deleted: true })
      expect((await store.getConversation(roomId))?.lastMessage).toEqual(final)
    })

    it('hands out copies or frozen records, so callers cannot change what is stored', async () => {
      const { store, roomId } = await roomWith(1)
      const message = await store.getMessage(roomId, 'id1')
      const conversation = await store.getConversation(roomId)
      const page = await store.getMessages(roomId, { limit: 5 })
      const [listed] = await store.listConversations({ limit: 1 })
      const marks = await store.raiseWatermark(roomId, 'agent', 'read', 0)
      attempt(() => {
        if (message) message.text = 'tampered'
      })
      attempt(() => {
        if (conversation) conversation.watermarks.visitor.read = 50
      })
      attempt(() => {
        if (conversation?.lastMessage) conversation.lastMessage.author.id = 'intruder'
      })
      attempt(() => {
        if (page.messages[0]) page.messages[0].text = 'tampered'
      })
      attempt(() => page.messages.push({ ...(page.messages[0] as WireMessage), seq: 2 }))
      attempt(() => {
        if (listed) listed.status = 'closed'
      })
      attempt(() => {
        marks.agent.read = 9
      })
      expect(await store.getMessage(roomId, 'id1')).toMatchObject({ text: 'm1', author: visitor })
      expect((await store.getMessages(roomId, { limit: 5 })).messages).toHaveLength(1)
      expect(await store.getConversation(roomId)).toMatchObject({
        status: 'open',
        watermarks: { visitor: { read: 0 }, agent: { read: 0 } },
        lastMessage: { text: 'm1', author: visitor },
      })
    })

    it('keeps its own copy of what it is given', async () => {
      const store = await create()
      const mine: Author = { id: 'v9', role: 'visitor', name: 'Nine' }
      const { roomId } = await store.openVisitorConversation(mine, 'room-of-v9', 1)
      const input = { roomId, clientId: 'c', author: { ...mine }, text: 'hi', createdAt: 2 }
      await store.appendMessage(input, 'm1')
      mine.name = 'changed'
      input.author.name = 'changed'
      input.text = 'changed'
      expect((await store.getConversation(roomId))?.visitor.name).toBe('Nine')
      expect(await store.getMessage(roomId, 'm1')).toMatchObject({ text: 'hi', author: { name: 'Nine' } })
    })

    it('lists conversations newest first and sets status', async () => {
      const store = await create()
      const a = await store.openVisitorConversation({ id: 'a', role: 'visitor' }, 'room-a', 1)
      const b = await store.openVisitorConversation({ id: 'b', role: 'visitor' }, 'room-b', 2)
      const list = async (limit: number) => (await store.listConversations({ limit })).map((c) => c.roomId)
      expect(await list(10)).toEqual([b.roomId, a.roomId])
      expect(await store.setStatus(a.roomId, 'closed', 3)).toMatchObject({ status: 'closed', updatedAt: 3 })
      expect(await list(10)).toEqual([a.roomId, b.roomId])
      expect(await list(1)).toHaveLength(1)
      expect(await list(0)).toEqual([])
      await store.appendMessage({ roomId: b.roomId, clientId: 'c', author: visitor, text: 'x', createdAt: 9 }, 'm')
      expect(await list(10)).toEqual([b.roomId, a.roomId])
    })

    it('finds messages by the beginnings of their words, newest first, across conversations', async () => {
      const store = await create()
      const rooms = [
        await store.openVisitorConversation({ id: 's1', role: 'visitor' }, 'room-s1', 1),
        await store.openVisitorConversation({ id: 's2', role: 'visitor' }, 'room-s2', 1),
      ]
      const texts = ['Where is my Delivery?', 'pesanan saya belum sampai', 'delivery was late, refund please', 'the undelivered box', 'REFUND issued for your delivery']
      for (const [i, text] of texts.entries()) {
        const roomId = rooms[i % 2]!.roomId
        await store.appendMessage({ roomId, clientId: `s${i}`, author: i % 2 ? agent : visitor, text, createdAt: 100 + i }, `sid${i}`)
      }
      const found = async (text: string, limit = 10, before?: number) =>
        (await store.searchMessages({ text, limit, ...(before !== undefined && { before }) })).map((m) => m.id)
      expect(await found('deliv')).toEqual(['sid4', 'sid2', 'sid0'])
      expect(await found('DELIVERY refund')).toEqual(['sid4', 'sid2'])
      expect(await found('refund, delivery!')).toEqual(['sid4', 'sid2'])
      expect(await found('belum')).toEqual(['sid1'])
      expect(await found('livery')).toEqual([])
      expect(await found('deliv', 2)).toEqual(['sid4', 'sid2'])
      expect(await found('deliv', 10, 104)).toEqual(['sid2', 'sid0'])
      expect(await found('  ?! ')).toEqual([])
      expect(await found('deliv', 0)).toEqual([])
      const [first] = await store.searchMessages({ text: 'belum', limit: 1 })
      expect(first).toEqual(await store.getMessage('room-s2', 'sid1'))
    })

    it('finds an edited message by its new words only, and never a deleted one', async () => {
      const { store, roomId } = await roomWith(0)
      await store.appendMessage({ roomId, clientId: 'a', author: visitor, text: 'kopi susu', createdAt: 1 }, 'k1')
      await store.appendMessage({ roomId, clientId: 'b', author: visitor, text: 'kopi hitam', createdAt: 2 }, 'k2')
      await store.updateMessage(roomId, 'k1', { text: 'teh manis', editedAt: 3 })
      await store.updateMessage(roomId, 'k2', { text: '', deleted: true })
      expect(await store.searchMessages({ text: 'kopi', limit: 10 })).toEqual([])
      expect((await store.searchMessages({ text: 'teh', limit: 10 })).map((m) => [m.id, m.text, m.changeSeq])).toEqual([['k1', 'teh manis', 1]])
    })

    it('deletes conversations closed before the cutoff, with their messages, and nothing else', async () => {
      const store = await create()
      const old = await store.openVisitorConversation({ id: 'old', role: 'visitor' }, 'room-old', 1)
      const recent = await store.openVisitorConversation({ id: 'recent', role: 'visitor' }, 'room-recent', 1)
      const open = await store.openVisitorConversation({ id: 'open', role: 'visitor' }, 'room-open', 1)
      for (const room of [old, recent, open]) {
        await store.appendMessage({ roomId: room.roomId, clientId: 'c', author: visitor, text: `retained ${room.roomId}`, createdAt: 2 }, `m-${room.roomId}`)
      }
      await store.raiseAgentRead(old.roomId, 'ayu', 1)
      await store.raiseAgentRead(open.roomId, 'ayu', 1)
      await store.setStatus(old.roomId, 'closed', 10)
      await store.setStatus(recent.roomId, 'closed', 30)
      expect(await store.deleteClosedBefore(10)).toEqual([])
      expect(await store.deleteClosedBefore(20)).toEqual([old.roomId])
      expect(await store.getConversation(old.roomId)).toBeUndefined()
      expect(await store.getMessage(old.roomId, `m-${old.roomId}`)).toBeUndefined()
      expect(await store.findVisitorConversation('old')).toBeUndefined()
      expect(await store.getAgentReads('ayu', [old.roomId, open.roomId])).toEqual(new Map([[open.roomId, { upToSeq: 1, visitorMessages: 1 }]]))
      await expect(store.getMessages(old.roomId, { limit: 5 })).rejects.toBeInstanceOf(NotFoundError)
      expect((await store.listConversations({ limit: 10 })).map((c) => c.roomId).sort()).toEqual([open.roomId, recent.roomId].sort())
      expect((await store.searchMessages({ text: 'retained', limit: 10 })).map((m) => m.roomId).sort()).toEqual([open.roomId, recent.roomId].sort())
      // The visitor may come back: a new conversation under a new room id starts from seq 1.
      const again = await store.openVisitorConversation({ id: 'old', role: 'visitor' }, 'room-old-2', 40)
      expect(again).toMatchObject({ roomId: 'room-old-2', lastSeq: 0 })
      expect(await store.deleteClosedBefore(1_000)).toEqual([recent.roomId])
      expect(await store.getConversation(open.roomId)).toMatchObject({ lastSeq: 1 })
    })

    it('assigns conversations, keeps the visitor’s context, and refuses both for an unknown room', async () => {
      const { store, roomId } = await roomWith(1)
      const before = await store.getConversation(roomId)
      const assigned = await store.setAssignee(roomId, { id: 'a1', role: 'agent', name: 'Ayu' })
      expect(assigned.assignee).toEqual({ id: 'a1', role: 'agent', name: 'Ayu' })
      expect(assigned.updatedAt).toBe(before?.updatedAt)
      expect((await store.getSummary(roomId))?.assignee).toEqual({ id: 'a1', role: 'agent', name: 'Ayu' })
      expect((await store.setAssignee(roomId, undefined)).assignee).toBeUndefined()
      const context = { page: { url: 'https://toko.example/kopi', title: 'Kopi "Luwak" 🐾', at: 5 }, pages: [{ url: 'https://toko.example/', at: 1 }], locale: 'id-ID', timeZone: 'Asia/Jakarta', visits: 3 }
      await store.setContext(roomId, context)
      expect((await store.getConversation(roomId))?.context).toEqual(context)
      const [listed] = await store.listConversations({ limit: 1 })
      expect(listed?.context).toEqual(context)
      await expect(store.setAssignee('nope', undefined)).rejects.toBeInstanceOf(NotFoundError)
      await expect(store.setContext('nope', {})).rejects.toBeInstanceOf(NotFoundError)
    })

    it('keeps what the visitor told, and refuses it for an unknown room', async () => {
      const { store, roomId } = await roomWith(1)
      const contact = { name: 'Ani "Kopi" 🐾', email: 'ani@toko.example', fields: { order: 'A-17', topic: 'Returns' } }
      await store.setContact(roomId, contact)
      expect((await store.getConversation(roomId))?.contact).toEqual(contact)
      expect((await store.getSummary(roomId))?.contact).toEqual(contact)
      expect((await store.listConversations({ limit: 1 }))[0]?.contact).toEqual(contact)
      await store.setContact(roomId, { email: 'ani@baru.example' })
      expect((await store.getConversation(roomId))?.contact).toEqual({ email: 'ani@baru.example' })
      await expect(store.setContact('nope', {})).rejects.toBeInstanceOf(NotFoundError)
    })

    it('raises the follow-up mark once per seq, even when both handles claim it at once', async () => {
      const { store, roomId } = await roomWith(6)
      const twin = await another(store)
      expect(await store.claimFollowUp(roomId, 2)).toBe(0)
      expect(await store.claimFollowUp(roomId, 2)).toBeUndefined()
      expect(await store.claimFollowUp(roomId, 1)).toBeUndefined()
      const raced = await Promise.all([store.claimFollowUp(roomId, 5), twin.claimFollowUp(roomId, 5)])
      expect(raced.filter((before) => before !== undefined)).toEqual([2])
      expect(await twin.claimFollowUp(roomId, 6)).toBe(5)
      await expect(store.claimFollowUp('nope', 1)).rejects.toBeInstanceOf(NotFoundError)
    })

    it('lists conversations by status and assignee, a page at a time, without repeating or skipping one', async () => {
      const store = await create()
      const ids: string[] = []
      for (let i = 0; i < 12; i++) {
        // Pairs share updatedAt, so pages must break ties the same way every time.
        const { roomId } = await store.openVisitorConversation({ id: `v${i}`, role: 'visitor' }, `room-${String(i).padStart(2, '0')}`, 100 + Math.floor(i / 2))
        ids.push(roomId)
        if (i % 3 === 0) await store.setStatus(roomId, 'closed', 100 + Math.floor(i / 2))
        if (i % 4 === 0) await store.setAssignee(roomId, { id: 'a1', role: 'agent', name: 'Ayu' })
      }
      const all = await store.listConversations({ limit: 100 })
      const pages: string[] = []
      let after: { updatedAt: number; createdAt: number; roomId: string } | undefined
      for (;;) {
        const page = await store.listConversations({ limit: 5, ...(after && { after }) })
        pages.push(...page.map((c) => c.roomId))
        const last = page[page.length - 1]
        if (page.length < 5 || !last) break
        after = { updatedAt: last.updatedAt, createdAt: last.createdAt, roomId: last.roomId }
      }
      expect(pages).toEqual(all.map((c) => c.roomId))
      expect(new Set(pages).size).toBe(12)
      const closed = await store.listConversations({ limit: 100, status: 'closed' })
      expect(closed.map((c) => c.roomId).sort()).toEqual(['room-00', 'room-03', 'room-06', 'room-09'])
      const mine = await store.listConversations({ limit: 100, assigneeId: 'a1' })
      expect(mine.map((c) => c.roomId).sort()).toEqual(['room-00', 'room-04', 'room-08'])
      const unassignedOpen = await store.listConversations({ limit: 100, assigneeId: null, status: 'open' })
      expect(unassignedOpen.map((c) => c.roomId).sort()).toEqual(['room-01', 'room-02', 'room-05', 'room-07', 'room-10', 'room-11'])
    })

    it('orders conversations with the same updatedAt by newer createdAt first', async () => {
      const store = await create()
      const ids = ['m', 'z', 'a']
      const rooms = []
      for (const [i, id] of ids.entries()) rooms.push(await store.openVisitorConversation({ id, role: 'visitor' }, `room-${id}`, 10 + i))
      for (const room of rooms) await store.setStatus(room.roomId, 'pending', 50)
      expect((await store.listConversations({ limit: 10 })).map((c) => c.visitor.id)).toEqual(['a', 'z', 'm'])
      // Same updatedAt and createdAt: room id decides, so the order is total.
      const twins = [await store.openVisitorConversation({ id: 't2', role: 'visitor' }, 'room-t2', 99), await store.openVisitorConversation({ id: 't1', role: 'visitor' }, 'room-t1', 99)]
      expect((await store.listConversations({ limit: 2 })).map((c) => c.roomId)).toEqual(twins.map((c) => c.roomId).sort())
    })

    it('keeps a message’s file exactly, in every read, and drops it with the message', async () => {
      const { store, roomId } = await roomWith(1)
      const file = { id: 'f1', name: 'Nota "April" 😀.pdf', type: 'application/pdf', size: 12_345 }
      const photo = { id: 'f2', name: 'kopi.png', type: 'image/png', size: 999, width: 640, height: 480 }
      const { message } = await store.appendMessage({ roomId, clientId: 'with-file', author: visitor, text: '', createdAt: 2000, attachment: file }, 'id2')
      expect(message).toEqual({ id: 'id2', clientId: 'with-file', roomId, seq: 2, author: visitor, text: '', createdAt: 2000, attachment: file })
      await store.appendMessage({ roomId, clientId: 'photo', author: agent, text: 'caption', createdAt: 2001, attachment: photo }, 'id3')
      expect(await store.getMessage(roomId, 'id2')).toEqual(message)
      expect((await store.getMessages(roomId, { afterSeq: 1, limit: 5 })).messages.map((m) => m.attachment)).toEqual([file, photo])
      expect((await store.getConversation(roomId))?.lastMessage?.attachment).toEqual(photo)
      // A repeat of the clientId answers with the first copy, file and all.
      expect((await store.appendMessage({ roomId, clientId: 'with-file', author: visitor, text: 'x', createdAt: 1 }, 'other')).message).toEqual(message)
      // A reaction keeps the file, and so does taking it back.
      expect((await store.setReaction(roomId, 'id2', { userId: 'a1', emoji: '👍', on: true }))?.message).toMatchObject({ attachment: file, reactions: [{ emoji: '👍', by: ['a1'] }] })
      expect((await store.setReaction(roomId, 'id2', { userId: 'a1', emoji: '👍', on: false }))?.message.attachment).toEqual(file)
      expect((await store.getMessage(roomId, 'id2'))?.attachment).toEqual(file)
      // An edit keeps the file; a delete takes it away.
      expect(await store.updateMessage(roomId, 'id3', { text: 'new caption', editedAt: 3000 })).toMatchObject({ text: 'new caption', attachment: photo })
      const deleted = await store.updateMessage(roomId, 'id3', { text: '', deleted: true })
      expect(deleted).not.toHaveProperty('attachment')
      expect(await store.getMessage(roomId, 'id3')).toEqual(deleted)
      expect((await store.getConversation(roomId))?.lastMessage).toEqual(deleted)
    })

    it('adds and takes back reactions once per user and emoji, numbering each real change', async () => {
      const { store, roomId } = await roomWith(2)
      const react = (userId: string, emoji: string, on: boolean) => store.setReaction(roomId, 'id1', { userId, emoji, on })
      const first = await react('v1', '👍', true)
      expect(first).toEqual({ changed: true, message: expect.objectContaining({ reactions: [{ emoji: '👍', by: ['v1'] }], changeSeq: 1 }) })
      // The same reaction again changes nothing and takes no change number.
      expect(await react('v1', '👍', true)).toEqual({ changed: false, message: first?.message })
      expect((await store.getConversation(roomId))?.lastChangeSeq).toBe(1)
      await react('a1', '❤️', true)
      const third = await react('a1', '👍', true)
      expect(third?.message.reactions).toEqual([
        { emoji: '👍', by: ['v1', 'a1'] },
        { emoji: '❤️', by: ['a1'] },
      ])
      expect(third?.message.changeSeq).toBe(3)
      expect(await store.getMessage(roomId, 'id1')).toEqual(third?.message)
      // Catch-up hands out the message with its reactions.
      expect((await store.getChanges(roomId, 2, 10)).messages).toEqual([third?.message])
      // Taking back: the emoji goes when its last user does; taking back what is not there is no change.
      await react('a1', '❤️', false)
      expect(await react('a1', '❤️', false)).toMatchObject({ changed: false })
      const last = await react('v1', '👍', false)
      expect(last?.message).toMatchObject({ reactions: [{ emoji: '👍', by: ['a1'] }], changeSeq: 5 })
      await react('a1', '👍', false)
      expect(await store.getMessage(roomId, 'id1')).not.toHaveProperty('reactions')
      // An edit keeps reactions; a delete drops them.
      await store.setReaction(roomId, 'id2', { userId: 'v1', emoji: '😂', on: true })
      expect(await store.updateMessage(roomId, 'id2', { text: 'edited', editedAt: 9 })).toMatchObject({ reactions: [{ emoji: '😂', by: ['v1'] }] })
      expect(await store.updateMessage(roomId, 'id2', { text: '', deleted: true })).not.toHaveProperty('reactions')
      expect(await store.setReaction(roomId, 'missing', { userId: 'v1', emoji: '👍', on: true })).toBeUndefined()
      await expect(store.setReaction('nope', 'id1', { userId: 'v1', emoji: '👍', on: true })).rejects.toBeInstanceOf(NotFoundError)
    })

    it('loses no reaction when many users react to one message through both handles at once', async () => {
      const { store, roomId } = await roomWith(1)
      const twin = await another(store)
      const users = Array.from({ length: 12 }, (_, i) => `u${i}`)
      const results = await Promise.all(users.map((userId, i) => (i % 2 ? twin : store).setReaction(roomId, 'id1', { userId, emoji: '🙏', on: true })))
      expect(results.every((result) => result?.changed)).toBe(true)
      const stored = await store.getMessage(roomId, 'id1')
      expect([...(stored?.reactions?.[0]?.by ?? [])].sort()).toEqual([...users].sort())
      expect(stored?.changeSeq).toBe(12)
      expect(results.map((result) => result?.message.changeSeq).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(users.map((_, i) => i + 1))
    })
  })
}
