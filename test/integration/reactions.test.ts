/**
 * Reactions from the core client's side, against the real server: shown at once, confirmed once,
 * sent after a reconnect when made offline, and caught up by a client that was away.
 */
import { describe, expect, it } from 'vitest'
import { connected, eventually, startConversation } from '../support/harness'

describe('reactions from the client', () => {
  it('shows the user’s reaction at once and the other side’s when it comes, once per user and emoji', async () => {
    const { visitor, agent, server } = await startConversation()
    const roomId = visitor.conversation.get()!.roomId
    await agent.openConversation(roomId)
    expect(visitor.features.get().reactions).toEqual(['👍', '❤️', '😂', '😮', '😢', '🙏'])
    agent.send('Kopi Toraja tinggal 3 kantong')
    await eventually(() => expect(visitor.messages.get()).toHaveLength(1))
    const id = visitor.messages.get()[0]!.id!
    const visitorId = visitor.user.get()!.id
    const agentId = agent.user.get()!.id

    visitor.react(id, '👍')
    // At once, before any answer.
    expect(visitor.messages.get()[0]!.reactions).toEqual([{ emoji: '👍', by: [visitorId] }])
    visitor.react(id, '👍')
    await eventually(() => expect(agent.messages.get()[0]!.reactions).toEqual([{ emoji: '👍', by: [visitorId] }]))
    agent.react(id, '👍')
    agent.react(id, '❤️')
    await eventually(() =>
      expect(visitor.messages.get()[0]!.reactions).toEqual([
        { emoji: '👍', by: [visitorId, agentId] },
        { emoji: '❤️', by: [agentId] },
      ]),
    )
    visitor.react(id, '👍', false)
    await eventually(() => expect(agent.messages.get()[0]!.reactions).toEqual([{ emoji: '👍', by: [agentId] }, { emoji: '❤️', by: [agentId] }]))
    expect((await server.store.getMessage(roomId, id))?.reactions).toEqual(agent.messages.get()[0]!.reactions)
    // Four real changes: the repeat of 👍 changed nothing.
    expect((await server.store.getMessage(roomId, id))?.changeSeq).toBe(4)
  })

  it('sends a reaction made offline once the connection is back, and a client that was away catches up', async () => {
    const { visitor, agent } = await startConversation()
    const roomId = visitor.conversation.get()!.roomId
    await agent.openConversation(roomId)
    visitor.send('Halo')
    await eventually(() => expect(agent.messages.get()).toHaveLength(1))
    const id = agent.messages.get()[0]!.id!
    visitor.disconnect()
    agent.disconnect()
    agent.react(id, '🙏')
    agent.react(id, '😂')
    agent.react(id, '😂', false)
    expect(agent.messages.get()[0]!.reactions).toEqual([{ emoji: '🙏', by: [agent.user.get()!.id] }])
    agent.connect()
    await connected(agent)
    await eventually(() => expect(agent.messages.get()[0]!.reactions).toEqual([{ emoji: '🙏', by: [agent.user.get()!.id] }]))
    // The visitor was away for all of it: its rejoin catches the change up.
    visitor.connect()
    await eventually(() => expect(visitor.messages.get()[0]!.reactions).toEqual([{ emoji: '🙏', by: [agent.user.get()!.id] }]))
  })

  it('refuses an emoji the server does not offer and a message that is not loaded, and lets a refused one go', async () => {
    const { visitor, agent } = await startConversation({ reactions: ['✅'] })
    const roomId = visitor.conversation.get()!.roomId
    await agent.openConversation(roomId)
    agent.send('ok?')
    await eventually(() => expect(visitor.messages.get()).toHaveLength(1))
    const id = visitor.messages.get()[0]!.id!
    expect(() => visitor.react(id, '👍')).toThrow(expect.objectContaining({ code: 'bad_request' }))
    expect(() => visitor.react('nope', '✅')).toThrow(expect.objectContaining({ code: 'not_found' }))
    // Deleted on the server while the visitor was offline and reacted: refused, and shown as it is.
    const errors: string[] = []
    visitor.on('error', (error) => errors.push(error.code))
    visitor.disconnect()
    await agent.remove(agent.messages.get()[0]!.id!)
    visitor.react(id, '✅')
    expect(visitor.messages.get()[0]!.reactions).toHaveLength(1)
    visitor.connect()
    await eventually(() => expect(errors).toContain('forbidden'))
    await eventually(() => expect(visitor.messages.get()[0]).toMatchObject({ deleted: true }))
    expect(visitor.messages.get()[0]!.reactions).toBeUndefined()
  })
})
