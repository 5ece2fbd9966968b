/** Reactions on the real server: who may react to what, with which emoji, and what others hear. */
import { describe, expect, it } from 'vitest'
import { nextEvent, record, request, settle, useHarness } from './helpers'

const harness = useHarness()

describe('reactions', () => {
  it('lets both sides react to any message once per emoji, and tells the room', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    const agent = await harness.agent(server, visitor.roomId)
    const { roomId } = visitor
    const sent = await request(visitor.socket, 'send_message', { roomId, clientId: 'q', text: 'Ada kopi Toraja?' })
    if (!sent.ok) throw new Error('send failed')
    const atVisitor = nextEvent(visitor.socket, 'message_reacted')
    const byAgent = await request(agent.socket, 'react_message', { roomId, id: sent.message.id, emoji: '👍', on: true })
    expect(byAgent).toMatchObject({ ok: true, message: { reactions: [{ emoji: '👍', by: [agent.session.user.id] }], changeSeq: 1 } })
    expect(await atVisitor).toMatchObject({ id: sent.message.id, changeSeq: 1 })
    // The visitor reacts to its own message too, with the same emoji.
    const byVisitor = await request(visitor.socket, 'react_message', { roomId, id: sent.message.id, emoji: '👍', on: true })
    expect(byVisitor).toMatchObject({ ok: true, message: { reactions: [{ emoji: '👍', by: [agent.session.user.id, visitor.session.user.id] }], changeSeq: 2 } })
    // Twenty retries of one reaction at once: stored once, one change number.
    const retries = await Promise.all(Array.from({ length: 20 }, () => request(agent.socket, 'react_message', { roomId, id: sent.message.id, emoji: '🙏', on: true })))
    expect(retries.every((ack) => ack.ok)).toBe(true)
    const stored = await server.store.getMessage(roomId, sent.message.id)
    expect(stored?.reactions).toEqual([
      { emoji: '👍', by: [agent.session.user.id, visitor.session.user.id] },
      { emoji: '🙏', by: [agent.session.user.id] },
    ])
    expect(stored?.changeSeq).toBe(3)
    // Taken back, and caught up by a client that missed it.
    await request(agent.socket, 'react_message', { roomId, id: sent.message.id, emoji: '👍', on: false })
    const changes = await request(visitor.socket, 'get_changes', { roomId, afterChangeSeq: 3 })
    expect(changes).toMatchObject({ ok: true, messages: [{ changeSeq: 4, reactions: [{ emoji: '👍', by: [visitor.session.user.id] }, { emoji: '🙏' }] }] })
  })

  it('refuses emoji the server does not offer, deleted messages, and other visitors’ rooms', async () => {
    const server = await harness.start({ reactions: ['✅', '❌'] })
    const visitor = await harness.visitor(server)
    const stranger = await harness.visitor(server)
    const { roomId } = visitor
    expect(visitor.session.reactions).toEqual(['✅', '❌'])
    const sent = await request(visitor.socket, 'send_message', { roomId, clientId: 'q', text: 'hi' })
    if (!sent.ok) throw new Error('send failed')
    const id = sent.message.id
    expect(await request(visitor.socket, 'react_message', { roomId, id, emoji: '👍', on: true })).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: expect.stringContaining('✅ ❌') },
    })
    expect(await request(stranger.socket, 'react_message', { roomId, id, emoji: '✅', on: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await request(visitor.socket, 'react_message', { roomId, id: 'nope', emoji: '✅', on: true })).toMatchObject({ ok: false, error: { code: 'not_found' } })
    await request(visitor.socket, 'delete_message', { roomId, id })
    expect(await request(visitor.socket, 'react_message', { roomId, id, emoji: '✅', on: true })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect((await server.store.getMessage(roomId, id))?.reactions).toBeUndefined()
  })

  it('can be turned off, and says so', async () => {
    const server = await harness.start({ reactions: false })
    const visitor = await harness.visitor(server)
    expect(visitor.session.reactions).toBeUndefined()
    const sent = await request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: 'q', text: 'hi' })
    if (!sent.ok) throw new Error('send failed')
    const heard = record(visitor.socket, 'message_reacted')
    expect(await request(visitor.socket, 'react_message', { roomId: visitor.roomId, id: sent.message.id, emoji: '👍', on: true })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'Reactions are turned off on this server' },
    })
    await settle(visitor.socket)
    expect(heard).toEqual([])
  })

  it('refuses a reactions option that is not a short list of emoji, at start', async () => {
    await expect(harness.start({ reactions: [] })).rejects.toThrow(/reactions must be false or 1 to 20 different emoji/)
    await expect(harness.start({ reactions: ['👍', '👍'] })).rejects.toThrow(/reactions must be/)
    await expect(harness.start({ reactions: [' 👍'] })).rejects.toThrow(/reactions must be/)
  })
})
