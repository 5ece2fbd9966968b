import { describe, expect, it } from 'vitest'
import { ChatError, memoryStorage } from '../../src'
import { manualEnvironment } from '../../src/core/util/environment'
import { AGENT_TOKEN, connected, eventually, startAgent, startClient, startConversation, startServer, startedRoom, texts } from '../support/harness'

describe('core client against the reference server', () => {
  it('exchanges messages between a visitor and an agent, with acks', async () => {
    const server = await startServer()
    const visitor = startClient({ url: server.url, name: 'Budi' })
    const agent = startAgent({ url: server.url })
    await connected(visitor, agent)

    const optimistic = visitor.send('Halo, ada yang bisa bantu?')
    expect(optimistic.status).toBe('pending')
    expect(optimistic.own).toBe(true)
    await eventually(() => expect(visitor.messages.get()[0]?.status).toBe('sent'))
    expect(visitor.messages.get()).toHaveLength(1)
    expect(visitor.messages.get()[0]!.clientId).toBe(optimistic.clientId)

    const roomId = visitor.messages.get()[0]!.roomId!
    await eventually(() => expect(agent.conversations.get().map((c) => c.roomId)).toContain(roomId))
    await agent.openConversation(roomId)
    expect(texts(agent)).toEqual(['Halo, ada yang bisa bantu?'])
    expect(agent.messages.get()[0]!.own).toBe(false)

    agent.send('Tentu, silakan.')
    await eventually(() => expect(texts(visitor)).toEqual(['Halo, ada yang bisa bantu?', 'Tentu, silakan.']))
    // The agent's identity comes from the server's authentication, not from what it claims.
    expect(visitor.messages.get()[1]!.author).toMatchObject({ id: 'agent', role: 'agent', name: 'Agent' })
    expect(visitor.unread.get()).toBe(1)
  })

  it('wakes message subscribers only when something on screen changed', async () => {
    const { visitor, agent } = await startConversation()
    visitor.send('one')
    await eventually(() => expect(visitor.messages.get()[0]?.status).toBe('sent'))
    await agent.openConversation(visitor.conversation.get()!.roomId)
    await eventually(() => expect(visitor.messages.get()[0]!.status).toBe('delivered'))
    let wakes = 0
    const stop = agent.messages.listen(() => wakes++)
    // Typing and presence reach the agent but change no message.
    visitor.setTyping(true)
    await eventually(() => expect(agent.typing.get()).toHaveLength(1))
    agent.markRead()
    await eventually(() => expect(visitor.messages.get()[0]!.status).toBe('read'))
    stop()
    // Reading the visitor's message changes its status for the agent: one wake, not one per event.
    expect(wakes).toBe(1)
  })

  it('moves ticks from sent to delivered to read through watermarks', async () => {
    const { visitor, agent } = await startConversation()
    visitor.send('one')
    await eventually(() => expect(visitor.messages.get()[0]?.status).toBe('sent'))

    await agent.openConversation(visitor.messages.get()[0]!.roomId!)
    await eventually(() => expect(visitor.messages.get()[0]!.status).toBe('delivered'))
    expect(agent.unread.get()).toBe(1)
    agent.markRead()
    expect(agent.unread.get()).toBe(0)
    await eventually(() => expect(visitor.messages.get()[0]!.status).toBe('read'))
  })

  it('shows who is typing and lets it expire without a refresh', async () => {
    const { visitor, agent } = await startConversation({}, { typingTimeoutMs: 300 })
    await agent.openConversation(visitor.conversation.get()!.roomId)

    visitor.setTyping(true)
    await eventually(() => expect(agent.typing.get().map((a) => a.role)).toEqual(['visitor']))
    await eventually(() => expect(agent.typing.get()).toEqual([]), 2000)

    visitor.setTyping(false) // already expired remotely; a fresh "typing" must show again
    visitor.setTyping(true)
    await eventually(() => expect(agent.typing.get()).toHaveLength(1))
    visitor.setTyping(false)
    await eventually(() => expect(agent.typing.get()).toEqual([]), 250)
  })

  it('edits and deletes own messages, and refuses edits of others’ messages', async () => {
    const { visitor, agent } = await startConversation()
    visitor.send('teh')
    await eventually(() => expect(visitor.messages.get()[0]?.id).toBeDefined())
    const id = visitor.messages.get()[0]!.id!
    await agent.openConversation(visitor.conversation.get()!.roomId)

    const edited = await visitor.edit(id, 'the')
    expect(edited.text).toBe('the')
    expect(edited.editedAt).toBeTypeOf('number')
    await eventually(() => expect(agent.messages.get()[0]).toMatchObject({ text: 'the', editedAt: edited.editedAt }))

    await expect(agent.edit(id, 'hijacked')).rejects.toMatchObject({ code: 'forbidden' })
    await expect(agent.remove(id)).rejects.toBeInstanceOf(ChatError)

    await visitor.remove(id)
    await eventually(() => expect(agent.messages.get()[0]).toMatchObject({ deleted: true, text: '' }))
    await expect(visitor.edit(id, 'again')).rejects.toMatchObject({ code: 'forbidden' })
    expect(() => visitor.send('   ')).toThrow(/empty/)
    expect(() => visitor.send('x'.repeat(4001))).toThrow(ChatError)
  })

  it('tracks presence of customer and agent in the room', async () => {
    const server = await startServer()
    const visitor = startClient({ url: server.url })
    await connected(visitor)
    await eventually(() => expect(visitor.presence.get()?.visitorConnected).toBe(true))
    expect(visitor.presence.get()?.agentConnected).toBe(false)

    const agent = startAgent({ url: server.url })
    await connected(agent)
    await agent.openConversation(await startedRoom(server, visitor))
    await eventually(() => expect(visitor.presence.get()).toMatchObject({ agentConnected: true, totalAgent: 1, totalVisitor: 1 }))

    agent.disconnect()
    await eventually(() => expect(visitor.presence.get()).toMatchObject({ agentConnected: false, totalAgent: 0 }))
  })

  it('pages history backwards in order', async () => {
    const server = await startServer({ rateLimits: { message: { perSecond: 1000, burst: 1000 } } })
    const storage = memoryStorage()
    const writer = startClient({ url: server.url, storage })
    await connected(writer)
    for (let i = 1; i <= 120; i++) writer.send(`m${i}`)
    await eventually(() => expect(writer.messages.get().filter((m) => m.status === 'sent')).toHaveLength(120))
    writer.destroy()

    const reader = startClient({ url: server.url, storage, pageSize: 50 })
    await connected(reader)
    expect(texts(reader)).toEqual(Array.from({ length: 50 }, (_, i) => `m${i + 71}`))
    expect(reader.hasOlder.get()).toBe(true)
    expect(await reader.loadOlder()).toBe(50)
    expect(await reader.loadOlder()).toBe(20)
    expect(reader.hasOlder.get()).toBe(false)
    expect(await reader.loadOlder()).toBe(0)
    expect(texts(reader)).toEqual(Array.from({ length: 120 }, (_, i) => `m${i + 1}`))
  })

  it('keeps a pending outbox across a reload and delivers it exactly once', async () => {
    const server = await startServer()
    const storage = memoryStorage()
    const first = startClient({ url: server.url, storage })
    await connected(first)
    const roomId = first.conversation.get()!.roomId
    first.disconnect()
    first.send('written offline 1')
    first.send('written offline 2')
    expect(first.messages.get().map((m) => m.status)).toEqual(['pending', 'pending'])
    first.destroy() // the page closes

    const reloaded = startClient({ url: server.url, storage })
    // Taken over from the closed page's record once the claim on it has settled.
    await eventually(() => expect(texts(reloaded)).toEqual(['written offline 1', 'written offline 2']))
    await eventually(() => expect(reloaded.messages.get().map((m) => m.status)).toEqual(['sent', 'sent']))
    expect(reloaded.conversation.get()!.roomId).toBe(roomId)

    const agent = startAgent({ url: server.url })
    await connected(agent)
    await agent.openConversation(roomId)
    expect(texts(agent)).toEqual(['written offline 1', 'written offline 2'])
  })

  it('keeps the unsent messages of two tabs that share storage', async () => {
    const server = await startServer()
    const storage = memoryStorage()
    const first = startClient({ url: server.url, storage })
    await connected(first)
    const roomId = first.conversation.get()!.roomId
    const second = startClient({ url: server.url, storage })
    await connected(second)
    first.disconnect()
    second.disconnect()
    first.send('from tab one')
    second.send('from tab two')
    first.send('from tab one again')
    // Both tabs close before they could send.
    first.destroy()
    second.destroy()

    const reopened = startClient({ url: server.url, storage })
    await eventually(() => expect(reopened.messages.get().map((m) => m.status)).toEqual(['sent', 'sent', 'sent']))
    // Nothing lost; each tab's own messages in their order (between tabs, by send time).
    expect([...texts(reopened)].sort()).toEqual(['from tab one', 'from tab one again', 'from tab two'])
    expect(texts(reopened).filter((t) => t.startsWith('from tab one'))).toEqual(['from tab one', 'from tab one again'])
    expect(reopened.conversation.get()!.roomId).toBe(roomId)
  })

  it('sends what was typed offline as soon as the network is back', async () => {
    const server = await startServer()
    const environment = manualEnvironment()
    const visitor = startClient({ url: server.url, environment })
    await connected(visitor)
    environment.setOnline(false)
    expect(visitor.status.get()).toBe('offline')
    visitor.send('in the tunnel')
    expect(visitor.messages.get()[0]!.status).toBe('pending')
    environment.setOnline(true)
    expect(visitor.status.get()).toBe('reconnecting')
    await eventually(() => expect(visitor.messages.get()[0]!.status).toBe('sent'))
  })

  it('survives a server restart on the same store: reconnects, flushes and catches up', async () => {
    const first = await startServer()
    const { port, store } = first
    const visitor = startClient({ url: first.url })
    const agent = startAgent({ url: first.url })
    await connected(visitor, agent)
    visitor.send('before restart')
    await eventually(() => expect(visitor.messages.get()[0]?.status).toBe('sent'))
    const roomId = visitor.conversation.get()!.roomId
    await agent.openConversation(roomId)

    await first.close()
    await eventually(() => expect(visitor.status.get()).toBe('reconnecting'))
    // The server is unreachable, not just dropped: attempts start failing.
    await eventually(() => expect(visitor.failures.get()).toBeGreaterThanOrEqual(1))
    visitor.send('during downtime')

    const second = await startServer({ port, store })
    await connected(visitor, agent)
    expect(visitor.failures.get()).toBe(0)
    await eventually(() => expect(texts(agent)).toEqual(['before restart', 'during downtime']))
    agent.send('after restart')
    await eventually(() => expect(texts(visitor)).toEqual(['before restart', 'during downtime', 'after restart']))
    expect(second.port).toBe(port)
  })

  it('fetches the gap when a live message skips ahead', async () => {
    const { server, visitor, agent } = await startConversation()
    const roomId = visitor.conversation.get()!.roomId
    await agent.openConversation(roomId)
    // Stored without a broadcast, as if its broadcast were lost.
    await server.store.appendMessage(
      { roomId, clientId: 'lost-broadcast', author: { id: 'agent', role: 'agent' }, text: 'missed', createdAt: Date.now() },
      'lost-id',
    )
    agent.send('live')
    await eventually(() => expect(texts(visitor)).toEqual(['missed', 'live']))
    expect(visitor.messages.get().map((m) => m.seq)).toEqual([1, 2])
  })

  it('resumes the same visitor and conversation from shared storage', async () => {
    const server = await startServer()
    const storage = memoryStorage()
    const a = startClient({ url: server.url, storage })
    await connected(a)
    const user = a.user.get()!
    const room = a.conversation.get()!.roomId
    a.destroy()
    const b = startClient({ url: server.url, storage })
    await connected(b)
    expect(b.user.get()!.id).toBe(user.id)
    expect(b.conversation.get()!.roomId).toBe(room)
    const stranger = startClient({ url: server.url })
    await connected(stranger)
    expect(stranger.conversation.get()!.roomId).not.toBe(room)
  })

  it('recovers from rate limiting without losing or reordering a burst', async () => {
    const server = await startServer({ rateLimits: { message: { perSecond: 20, burst: 5 } } })
    const visitor = startClient({ url: server.url })
    const errors: string[] = []
    visitor.on('error', (e) => errors.push(e.code))
    await connected(visitor)
    const sent = Array.from({ length: 25 }, (_, i) => `burst ${i}`)
    for (const text of sent) visitor.send(text)
    await eventually(() => expect(visitor.messages.get().every((m) => m.status === 'sent')).toBe(true), 15_000)
    expect(texts(visitor)).toEqual(sent)
    expect(visitor.messages.get().map((m) => m.seq)).toEqual(sent.map((_, i) => i + 1))
    expect(errors).toContain('rate_limited')
  })

  it('lets agents set the conversation status and refuses it to visitors', async () => {
    const { visitor, agent } = await startConversation()
    await agent.openConversation(visitor.conversation.get()!.roomId)
    const closed = await agent.setConversationStatus('closed')
    expect(closed.status).toBe('closed')
    await expect(visitor.setConversationStatus('open')).rejects.toMatchObject({ code: 'forbidden' })
  })

  it('refuses an agent with a wrong token and stays disconnected', async () => {
    const server = await startServer()
    const errors: string[] = []
    const agent = startAgent({ url: server.url, token: 'wrong' })
    agent.on('error', (e) => errors.push(e.code))
    await eventually(() => expect(errors).toContain('unauthorized'))
    expect(agent.status.get()).toBe('disconnected')
    expect(AGENT_TOKEN).not.toBe('wrong')
  })
})
