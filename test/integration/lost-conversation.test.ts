/**
 * A server that comes back without the conversations it had (a restart on the memory store, a
 * Redis without persistence, a failover): clients notice, say so, and carry on without a reload.
 * The visitor's unsent messages go to the conversation the server has now; an agent who had the
 * room open is told, and works on.
 */
import { describe, expect, it } from 'vitest'
import type { ChatClient, ConversationLoss } from '../../src'
import { manualEnvironment } from '../../src/core/util/environment'
import { connected, eventually, startAgent, startClient, startServer, texts } from '../support/harness'

function recordLosses(client: ChatClient): ConversationLoss[] {
  const losses: ConversationLoss[] = []
  client.on('conversationLost', (loss) => losses.push(loss))
  return losses
}

/** A server, a visitor who wrote three messages and an agent who has them open. */
async function conversationBeforeRestart() {
  const first = await startServer()
  const visitorNetwork = manualEnvironment()
  const agentNetwork = manualEnvironment()
  const visitor = startClient({ url: first.url, environment: visitorNetwork })
  const agent = startAgent({ url: first.url, environment: agentNetwork })
  await connected(visitor, agent)
  for (const text of ['one', 'two', 'three']) visitor.send(text)
  await eventually(() => expect(visitor.messages.get().map((m) => m.status)).toEqual(['sent', 'sent', 'sent']))
  const roomId = visitor.conversation.get()!.roomId
  await agent.openConversation(roomId)
  expect(texts(agent)).toEqual(['one', 'two', 'three'])
  return { first, port: first.port, visitor, agent, visitorNetwork, agentNetwork, roomId, visitorLosses: recordLosses(visitor), agentLosses: recordLosses(agent) }
}

describe('a conversation the server lost', () => {
  it('is reported to the visitor, who sends what was unsent to the conversation the server has now', async () => {
    const { first, port, visitor, visitorNetwork, roomId, visitorLosses } = await conversationBeforeRestart()
    await first.close()
    visitorNetwork.setOnline(false)
    visitor.send('written while the server was down')
    visitor.send('and another')
    // Back on the same port with the same secret (the visitor keeps its identity) and an empty store.
    await startServer({ port })
    visitorNetwork.setOnline(true)

    await eventually(() => expect(visitorLosses).toEqual([{ roomId, reason: 'restarted', at: expect.any(Number) }]))
    expect(visitor.conversationLost.get()).toEqual(visitorLosses[0])
    await eventually(() => expect(visitor.messages.get().map((m) => [m.text, m.seq, m.status])).toEqual([
      ['written while the server was down', 1, 'sent'],
      ['and another', 2, 'sent'],
    ]))
    expect(visitor.status.get()).toBe('connected')
    expect(visitor.conversation.get()).toMatchObject({ roomId, lastSeq: 2 })
  })

  it('closes the room for an agent whose room is gone, without a retry loop, and the agent works on', async () => {
    const { first, port, visitor, agent, visitorNetwork, roomId, agentLosses } = await conversationBeforeRestart()
    const statuses: string[] = []
    agent.on('status', ({ next }) => statuses.push(next))
    visitorNetwork.setOnline(false)
    await first.close()
    const second = await startServer({ port })

    // The agent is back before the visitor: the room does not exist.
    await eventually(() => expect(agentLosses).toEqual([{ roomId, reason: 'not_found', at: expect.any(Number) }]))
    await connected(agent)
    expect(agent.conversationLost.get()).toEqual(agentLosses[0])
    expect(agent.conversation.get()).toBeUndefined()
    expect(agent.messages.get()).toEqual([])
    // One reconnection, and no more: nothing retries a room that is gone.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(statuses).toEqual(['reconnecting', 'connected'])

    // The visitor comes back and writes: the agent sees the conversation in its list and opens it.
    visitorNetwork.setOnline(true)
    visitor.send('hello again')
    await eventually(() => expect(agent.conversations.get().map((c) => c.roomId)).toContain(roomId))
    await agent.openConversation(roomId)
    expect(agent.conversationLost.get()).toBeUndefined()
    await eventually(() => expect(texts(agent)).toEqual(['hello again']))
    agent.send('welcome back')
    await eventually(() => expect(texts(visitor)).toEqual(['hello again', 'welcome back']))
    expect(second.port).toBe(port)
  })

  it('starts an agent over on the new conversation when the visitor was back first', async () => {
    const { first, port, visitor, agent, agentNetwork, roomId, agentLosses, visitorLosses } = await conversationBeforeRestart()
    agentNetwork.setOnline(false)
    await first.close()
    await startServer({ port })
    await connected(visitor)
    visitor.send('a new start')
    await eventually(() => expect(visitor.messages.get().map((m) => m.status)).toEqual(['sent']))
    expect(visitorLosses.map((loss) => loss.reason)).toEqual(['restarted'])

    agentNetwork.setOnline(true)
    await eventually(() => expect(agentLosses.map((loss) => loss.reason)).toEqual(['restarted']))
    await connected(agent)
    expect(agent.conversation.get()?.roomId).toBe(roomId)
    await eventually(() => expect(texts(agent)).toEqual(['a new start']))
  })
})
