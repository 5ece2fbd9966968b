import { describe, expect, it } from 'vitest'
import { createMemoryStore, MemoryStore } from '../../src/server'
import type { Author } from '../../src/protocol'

const visitor: Author = { id: 'v1', role: 'visitor', name: 'Vee' }
const agent: Author = { id: 'a1', role: 'agent' }

async function roomWith(count: number) {
  const store = createMemoryStore()
  const { roomId } = await store.conversationForVisitor(visitor, 1000)
  for (let i = 1; i <= count; i++) {
    await store.appendMessage({ roomId, clientId: `c${i}`, author: i % 2 ? visitor : agent, text: `m${i}`, createdAt: 1000 + i }, `id${i}`)
  }
  return { store, roomId }
}

const seqs = (messages: { seq: number }[]) => messages.map((m) => m.seq)

describe('MemoryStore', () => {
  it('gives each visitor one conversation, created on first use', async () => {
    const store = new MemoryStore({ newRoomId: () => 'room-1' })
    const first = await store.conversationForVisitor(visitor, 5)
    const again = await store.conversationForVisitor(visitor, 9)
    expect(first).toMatchObject({ roomId: 'room-1', visitor, status: 'open', lastSeq: 0, createdAt: 5, updatedAt: 5 })
    expect(again.roomId).toBe('room-1')
    expect(again.createdAt).toBe(5)
    expect(await store.getConversation('room-1')).toEqual(first)
    expect(await store.getConversation('nope')).toBeUndefined()
  })

  it('numbers messages 1, 2, 3 and keeps the conversation summary current', async () => {
    const { store, roomId } = await roomWith(3)
    const conversation = await store.getConversation(roomId)
    expect(conversation?.lastSeq).toBe(3)
    expect(conversation?.lastMessage).toMatchObject({ id: 'id3', seq: 3, text: 'm3' })
    expect(conversation?.authored).toEqual({ visitor: 2, agent: 1 })
    expect(conversation?.updatedAt).toBe(1003)
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

  it('returns the newest page when neither afterSeq nor beforeSeq is given', async () => {
    const { store, roomId } = await roomWith(7)
    const page = await store.getMessages(roomId, { limit: 3 })
    expect(seqs(page.messages)).toEqual([5, 6, 7])
    expect(page.hasMore).toBe(true)
    const all = await store.getMessages(roomId, { limit: 10 })
    expect(seqs(all.messages)).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(all.hasMore).toBe(false)
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

  it('raises watermarks monotonically and never past lastSeq', async () => {
    const { store, roomId } = await roomWith(4)
    expect((await store.raiseWatermark(roomId, 'visitor', 'read', 2)).visitor).toEqual({ delivered: 0, read: 2 })
    expect((await store.raiseWatermark(roomId, 'visitor', 'read', 1)).visitor.read).toBe(2)
    expect((await store.raiseWatermark(roomId, 'visitor', 'read', 99)).visitor.read).toBe(4)
    const marks = await store.raiseWatermark(roomId, 'agent', 'delivered', 3)
    expect(marks).toEqual({ visitor: { delivered: 0, read: 4 }, agent: { delivered: 3, read: 0 } })
    expect((await store.getConversation(roomId))?.watermarks).toEqual(marks)
  })

  it('counts one role’s messages above a seq even when the roles interleave', async () => {
    const { store, roomId } = await roomWith(6) // visitor: 1, 3, 5; agent: 2, 4, 6
    expect(await store.countAuthoredAfter(roomId, 'visitor', 0)).toBe(3)
    expect(await store.countAuthoredAfter(roomId, 'visitor', 3)).toBe(1)
    expect(await store.countAuthoredAfter(roomId, 'agent', 3)).toBe(2)
    expect(await store.countAuthoredAfter(roomId, 'agent', 6)).toBe(0)
  })

  it('edits and tombstones messages, refreshing lastMessage', async () => {
    const { store, roomId } = await roomWith(2)
    const edited = await store.updateMessage(roomId, 'id1', { text: 'new', editedAt: 77 })
    expect(edited).toMatchObject({ seq: 1, text: 'new', editedAt: 77 })
    expect((await store.getConversation(roomId))?.lastMessage?.text).toBe('m2')
    await store.updateMessage(roomId, 'id2', { text: '', deleted: true })
    expect((await store.getConversation(roomId))?.lastMessage).toMatchObject({ text: '', deleted: true })
    expect(await store.updateMessage(roomId, 'missing', { text: 'x' })).toBeUndefined()
  })

  it('hands out copies, so callers cannot change what is stored', async () => {
    const { store, roomId } = await roomWith(1)
    const message = await store.getMessage(roomId, 'id1')
    if (message) message.text = 'tampered'
    const conversation = await store.getConversation(roomId)
    if (conversation) conversation.watermarks.visitor.read = 50
    expect((await store.getMessage(roomId, 'id1'))?.text).toBe('m1')
    expect((await store.getConversation(roomId))?.watermarks.visitor.read).toBe(0)
  })

  it('lists conversations newest first and sets status', async () => {
    const store = createMemoryStore()
    const a = await store.conversationForVisitor({ id: 'a', role: 'visitor' }, 1)
    const b = await store.conversationForVisitor({ id: 'b', role: 'visitor' }, 2)
    expect((await store.listConversations(10)).map((c) => c.roomId)).toEqual([b.roomId, a.roomId])
    expect(await store.setStatus(a.roomId, 'closed', 3)).toMatchObject({ status: 'closed', updatedAt: 3 })
    expect((await store.listConversations(10)).map((c) => c.roomId)).toEqual([a.roomId, b.roomId])
    expect(await store.listConversations(1)).toHaveLength(1)
    expect(await store.setStatus('nope', 'open', 4)).toBeUndefined()
  })
})
