import { describe, expect, it } from 'vitest'
import { check, schemas } from '../../src/protocol'
import type { WireMessage } from '../../src/protocol'
import { nextEvent, record, request, settle, useHarness } from './helpers'

const harness = useHarness()

function messageOf(ack: { ok: boolean }): WireMessage {
  if (!ack.ok || !('message' in ack)) throw new Error(`request failed: ${JSON.stringify(ack)}`)
  return ack.message as WireMessage
}

describe('sending', () => {
  it('acks the sender and broadcasts to everyone else in the room, the sender’s other tabs included', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    const otherTab = await harness.visitor(server, { v: 2, role: 'visitor', visitorId: visitor.session.user.id, token: visitor.session.visitorToken })
    expect(otherTab.roomId).toBe(visitor.roomId)
    const agent = await harness.agent(server, visitor.roomId)

    const atAgent = nextEvent(agent.socket, 'new_message')
    const atOtherTab = nextEvent(otherTab.socket, 'new_message')
    let echoed = false
    visitor.socket.on('new_message', () => (echoed = true))
    const ack = await request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: 'c1', text: 'Hello' })
    expect(check(schemas.acks.message, ack).ok).toBe(true)
    const message = messageOf(ack)
    expect(message).toMatchObject({ clientId: 'c1', roomId: visitor.roomId, seq: 1, text: 'Hello', author: visitor.session.user })
    expect(await atAgent).toEqual(message)
    expect(await atOtherTab).toEqual(message)
    // The sender has the message in its ack; an echo would be a second copy of every message.
    expect(echoed).toBe(false)

    const reply = nextEvent(visitor.socket, 'new_message')
    const answer = messageOf(await request(agent.socket, 'send_message', { roomId: visitor.roomId, clientId: 'a1', text: 'Hi!' }))
    expect(answer).toMatchObject({ seq: 2, author: { id: 'agent', role: 'agent' } })
    expect(await reply).toEqual(answer)
  })

  it('tells agents outside the room about new messages via conversation_updated', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    const agent = await harness.agent(server)
    const update = nextEvent(agent.socket, 'conversation_updated', (c) => c.lastSeq === 1)
    await request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: 'c1', text: 'Anyone?' })
    const conversation = await update
    expect(check(schemas.conversation, conversation).ok).toBe(true)
    expect(conversation).toMatchObject({ roomId: visitor.roomId, lastMessage: { text: 'Anyone?' }, unread: { agent: 1, visitor: 0 } })
  })

  it('acks a burst of sends before agents hear of any of them, then announces the latest state', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    const agent = await harness.agent(server, visitor.roomId)
    // Both recorded as they arrive, in the same listener tick, so the order is the wire's.
    const order: string[] = []
    agent.socket.on('conversation_updated', (c) => void order.push(`updated ${c.lastSeq}`))
    const sends = Array.from(
      { length: 5 },
      (_, i) =>
        new Promise<void>((resolve) => {
          agent.socket.emit('send_message', { roomId: visitor.roomId, clientId: `a${i}`, text: `${i}` }, (ack) => {
            order.push(`ack ${messageOf(ack).seq}`)
            resolve()
          })
        }),
    )
    await Promise.all(sends)
    await settle(agent.socket)
    expect(order.slice(0, 5)).toEqual(['ack 1', 'ack 2', 'ack 3', 'ack 4', 'ack 5'])
    expect(order.filter((entry) => entry.startsWith('updated')).at(-1)).toBe('updated 5')
  })

  it('answers a repeated clientId with the stored message and no second broadcast', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    const agent = await harness.agent(server, visitor.roomId)
    const seen = record(agent.socket, 'new_message')
    const first = messageOf(await request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: 'dup', text: 'once' }))
    const again = await request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: 'dup', text: 'twice?' })
    expect(again.ok).toBe(true)
    expect(messageOf(again)).toEqual(first)
    await settle(agent.socket)
    expect(seen).toEqual([first])
    expect((await server.store.getConversation(visitor.roomId))?.lastSeq).toBe(1)
  })

  it('announces a repeated clientId again when the retry comes from a newer connection', async () => {
    // The first attempt's connection is gone: its broadcast may never have happened (with several
    // nodes, its node may have died between storing and broadcasting), so the retry announces it.
    let t = 1000
    const server = await harness.start({ now: () => t })
    const first = await harness.visitor(server)
    const agent = await harness.agent(server, first.roomId)
    const stored = messageOf(await request(first.socket, 'send_message', { roomId: first.roomId, clientId: 'lost-ack', text: 'hi' }))
    first.socket.disconnect()
    t = 2000
    const again = await harness.visitor(server, { v: 2, role: 'visitor', visitorId: first.session.user.id, token: first.session.visitorToken })
    const announced = nextEvent(agent.socket, 'new_message')
    expect(messageOf(await request(again.socket, 'send_message', { roomId: first.roomId, clientId: 'lost-ack', text: 'hi' }))).toEqual(stored)
    expect(await announced).toEqual(stored)
    expect((await server.store.getConversation(first.roomId))?.lastSeq).toBe(1)
  })

  it('refuses a clientId another author already used in the room', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    const agent = await harness.agent(server, visitor.roomId)
    await request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: 'shared', text: 'mine' })
    const clash = await request(agent.socket, 'send_message', { roomId: visitor.roomId, clientId: 'shared', text: 'yours' })
    expect(clash).toMatchObject({ ok: false, error: { code: 'bad_request' } })
    expect((await server.store.getConversation(visitor.roomId))?.lastSeq).toBe(1)
  })

  it('refuses the clientIds the REST API and WhatsApp use, so a socket cannot take their keys', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    const agent = await harness.agent(server, visitor.roomId)
    for (const clientId of ['api:k1:order-7', 'whatsapp:wamid.HBgM']) {
      const ack = await request(agent.socket, 'send_message', { roomId: visitor.roomId, clientId, text: 'x' })
      expect(ack).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/api:.*whatsapp:/) } })
    }
    expect((await server.store.getConversation(visitor.roomId))?.lastSeq).toBe(0)
    expect(messageOf(await request(agent.socket, 'send_message', { roomId: visitor.roomId, clientId: 'apix:1', text: 'fine' })).seq).toBe(1)
  })

  it('keeps arrival order for 200 rapid sends, in seq, acks and broadcasts', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    const agent = await harness.agent(server, visitor.roomId)
    const seen = record(agent.socket, 'new_message')
    const acks = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: `c${i}`, text: `#${i}` }),
      ),
    )
    const messages = acks.map(messageOf)
    expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1))
    expect(messages.map((m) => m.text)).toEqual(Array.from({ length: 200 }, (_, i) => `#${i}`))
    await settle(agent.socket)
    expect(seen.map((m) => m.seq)).toEqual(messages.map((m) => m.seq))
  })

  it('refuses empty and over-long text', async () => {
    const server = await harness.start({ maxTextLength: 10 })
    const visitor = await harness.visitor(server)
    const roomId = visitor.roomId
    expect(await request(visitor.socket, 'send_message', { roomId, clientId: 'a', text: '  \n ' })).toMatchObject({ ok: false, error: { code: 'bad_request' } })
    expect(await request(visitor.socket, 'send_message', { roomId, clientId: 'b', text: 'x'.repeat(11) })).toMatchObject({ ok: false, error: { code: 'too_long' } })
    expect((await request(visitor.socket, 'send_message', { roomId, clientId: 'c', text: 'x'.repeat(10) })).ok).toBe(true)
  })

  it('reopens a closed conversation when the visitor writes', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    const agent = await harness.agent(server)
    const closed = await request(agent.socket, 'set_conversation_status', { roomId: visitor.roomId, status: 'closed' })
    expect(closed).toMatchObject({ ok: true, conversation: { status: 'closed' } })
    const reopened = nextEvent(visitor.socket, 'conversation_updated', (c) => c.status === 'open')
    await request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: 'back', text: 'One more thing' })
    expect((await reopened).lastSeq).toBe(1)
    expect((await server.store.getConversation(visitor.roomId))?.status).toBe('open')
  })
})

describe('edit and delete', () => {
  it('lets only the author edit or delete, and broadcasts the full message', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    const agent = await harness.agent(server, visitor.roomId)
    const roomId = visitor.roomId
    const original = messageOf(await request(visitor.socket, 'send_message', { roomId, clientId: 'c1', text: 'teh' }))

    expect(await request(agent.socket, 'edit_message', { roomId, id: original.id, text: 'hacked' })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await request(agent.socket, 'delete_message', { roomId, id: original.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await request(visitor.socket, 'edit_message', { roomId, id: 'nope', text: 'x' })).toMatchObject({ ok: false, error: { code: 'not_found' } })

    const editedAtAgent = nextEvent(agent.socket, 'message_edited')
    const edited = messageOf(await request(visitor.socket, 'edit_message', { roomId, id: original.id, text: 'the' }))
    expect(edited).toMatchObject({ id: original.id, seq: 1, text: 'the' })
    expect(edited.editedAt).toEqual(expect.any(Number))
    expect(await editedAtAgent).toEqual(edited)

    const deletedAtAgent = nextEvent(agent.socket, 'message_deleted')
    const deleted = messageOf(await request(visitor.socket, 'delete_message', { roomId, id: original.id }))
    expect(deleted).toMatchObject({ id: original.id, text: '', deleted: true })
    expect(await deletedAtAgent).toEqual(deleted)

    expect(await request(visitor.socket, 'edit_message', { roomId, id: original.id, text: 'undo' })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect((await server.store.getMessage(roomId, original.id))?.text).toBe('')
  })
})

describe('history', () => {
  it('joins with the newest page or with what was missed, and pages both ways', async () => {
    const server = await harness.start({ pageSize: 4 })
    const visitor = await harness.visitor(server)
    const roomId = visitor.roomId
    for (let i = 1; i <= 10; i++) await request(visitor.socket, 'send_message', { roomId, clientId: `c${i}`, text: `m${i}` })
    const agent = await harness.agent(server)

    const fresh = await request(agent.socket, 'join_room', { roomId })
    expect(check(schemas.acks.join_room, fresh).ok).toBe(true)
    if (!fresh.ok) throw new Error('join failed')
    expect(fresh.messages.map((m) => m.seq)).toEqual([7, 8, 9, 10])
    expect(fresh).toMatchObject({ hasMore: false, hasOlder: true, conversation: { lastSeq: 10 } })

    const missed = await request(agent.socket, 'join_room', { roomId, afterSeq: 3, limit: 5 })
    if (!missed.ok) throw new Error('join failed')
    expect(missed.messages.map((m) => m.seq)).toEqual([4, 5, 6, 7, 8])
    expect(missed).toMatchObject({ hasMore: true, hasOlder: true })

    const upToDate = await request(agent.socket, 'join_room', { roomId, afterSeq: 10 })
    expect(upToDate).toMatchObject({ ok: true, messages: [], hasMore: false })

    const older = await request(agent.socket, 'get_history', { roomId, beforeSeq: 7 })
    expect(check(schemas.acks.history, older).ok).toBe(true)
    if (!older.ok) throw new Error('history failed')
    expect(older.messages.map((m) => m.seq)).toEqual([3, 4, 5, 6])
    expect(older.hasMore).toBe(true)
    const oldest = await request(agent.socket, 'get_history', { roomId, beforeSeq: 3, limit: 10 })
    expect(oldest).toMatchObject({ ok: true, hasMore: false })
    if (oldest.ok) expect(oldest.messages.map((m) => m.seq)).toEqual([1, 2])

    const forward = await request(agent.socket, 'get_history', { roomId, afterSeq: 8 })
    if (!forward.ok) throw new Error('history failed')
    expect(forward.messages.map((m) => m.seq)).toEqual([9, 10])
    expect(forward.hasMore).toBe(false)

    expect(await request(agent.socket, 'get_history', { roomId: 'no-such-room' })).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })

  it('says an empty room has nothing older', async () => {
    const server = await harness.start()
    const visitor = await harness.connect(server, { v: 2, role: 'visitor' })
    const ack = await request(visitor.socket, 'join_room', { roomId: visitor.session.roomId ?? '' })
    expect(ack).toMatchObject({ ok: true, messages: [], hasMore: false, hasOlder: false, conversation: { lastSeq: 0 } })
  })
})

describe('typing and watermarks', () => {
  it('relays typing to the others in the room, not back to the sender', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    const agent = await harness.agent(server, visitor.roomId)
    const echoes = record(visitor.socket, 'typing_indicator')
    const atAgent = nextEvent(agent.socket, 'typing_indicator')
    expect(await request(visitor.socket, 'typing_indicator', { roomId: visitor.roomId, isTyping: true })).toEqual({ ok: true })
    expect(await atAgent).toEqual({ roomId: visitor.roomId, user: visitor.session.user, isTyping: true })
    await settle(visitor.socket)
    expect(echoes).toEqual([])
  })

  it('acks receipts before telling the room, and tells it the highest marks of a burst last', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    const agent = await harness.agent(server, visitor.roomId)
    const roomId = visitor.roomId
    for (let i = 1; i <= 5; i++) await request(agent.socket, 'send_message', { roomId, clientId: `a${i}`, text: `a${i}` })

    // Recorded as they arrive, in the listener's own tick, so the order is the wire's.
    const order: string[] = []
    visitor.socket.on('message_status_update', (u) => void order.push(`update ${u.watermarks.visitor.delivered}`))
    const marks = [1, 2, 3, 4, 5].map(
      (upToSeq) =>
        new Promise<void>((resolve) => {
          visitor.socket.emit('mark_delivered', { roomId, upToSeq }, () => {
            order.push(`ack ${upToSeq}`)
            resolve()
          })
        }),
    )
    await Promise.all(marks)
    await settle(visitor.socket)
    expect(order.slice(0, 5)).toEqual(['ack 1', 'ack 2', 'ack 3', 'ack 4', 'ack 5'])
    const updates = order.slice(5)
    expect(updates.at(-1)).toBe('update 5')
    expect(updates).toEqual([...updates].sort())
  })

  it('raises the caller’s watermark and broadcasts only real changes', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    const agent = await harness.agent(server, visitor.roomId)
    const roomId = visitor.roomId
    for (let i = 1; i <= 3; i++) await request(agent.socket, 'send_message', { roomId, clientId: `a${i}`, text: `a${i}` })
    await request(visitor.socket, 'send_message', { roomId, clientId: 'v1', text: 'v1' })

    const updates = record(agent.socket, 'message_status_update')
    const convUpdates = record(agent.socket, 'conversation_updated')
    expect(await request(visitor.socket, 'mark_delivered', { roomId, upToSeq: 3 })).toEqual({ ok: true })
    expect(await request(visitor.socket, 'mark_read', { roomId, upToSeq: 2 })).toEqual({ ok: true })
    expect(await request(visitor.socket, 'mark_read', { roomId, upToSeq: 1 })).toEqual({ ok: true })
    expect(await request(visitor.socket, 'mark_read', { roomId, upToSeq: 99 })).toEqual({ ok: true })
    await settle(agent.socket)

    expect(updates.map((u) => u.watermarks.visitor)).toEqual([
      { delivered: 3, read: 0 },
      { delivered: 3, read: 2 },
      { delivered: 3, read: 4 },
    ])
    expect(updates.every((u) => check(schemas.broadcasts.message_status_update, u).ok && u.roomId === roomId)).toBe(true)
    expect(convUpdates.at(-1)?.unread).toEqual({ visitor: 0, agent: 1 })

    // Unread counts each side's own messages, even interleaved: agent has read up to seq 2, before the visitor's seq 4.
    await request(agent.socket, 'mark_read', { roomId, upToSeq: 2 })
    const list = await request(agent.socket, 'list_conversations', {})
    if (!list.ok) throw new Error('list failed')
    expect(list.conversations[0]?.unread).toEqual({ visitor: 0, agent: 1 })
  })
})

describe('conversations', () => {
  it('lets only agents list conversations and set their status', async () => {
    // Messages are stamped a minute after the conversations were made, so activity orders the list.
    const server = await harness.start({ now: () => Date.now() + 60_000 })
    const first = await harness.visitor(server)
    const second = await harness.visitor(server)
    await request(first.socket, 'send_message', { roomId: first.roomId, clientId: 'c', text: 'newer' })
    const agent = await harness.agent(server)

    expect(await request(first.socket, 'list_conversations', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await request(first.socket, 'set_conversation_status', { roomId: first.roomId, status: 'closed' })).toMatchObject({ ok: false, error: { code: 'forbidden' } })

    const list = await request(agent.socket, 'list_conversations', {})
    expect(check(schemas.acks.conversations, list).ok).toBe(true)
    if (!list.ok) throw new Error('list failed')
    expect(list.conversations.map((c) => c.roomId)).toEqual([first.roomId, second.roomId])
    expect(list.conversations[0]?.presence.visitorConnected).toBe(true)

    const atVisitor = nextEvent(second.socket, 'conversation_updated')
    const set = await request(agent.socket, 'set_conversation_status', { roomId: second.roomId, status: 'pending' })
    expect(set).toMatchObject({ ok: true, conversation: { roomId: second.roomId, status: 'pending' } })
    expect((await atVisitor).status).toBe('pending')
    expect(await request(agent.socket, 'set_conversation_status', { roomId: 'ghost', status: 'open' })).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })
})
