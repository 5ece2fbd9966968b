/**
 * One connection for all tabs of a visitor, against the real server: three clients on one storage
 * with a channel and locks between them (Node's BroadcastChannel and Web-Locks rules), as three
 * tabs of one browser. The server sees one visitor socket; every tab shows the same messages,
 * unread count and typing; when a tab closes mid-burst, every message arrives once, in order.
 */
import { describe, expect, it } from 'vitest'
import { memoryStorage, shareTabs, type ChatClient } from '../../src'
import { manualEnvironment } from '../../src/core/util/environment'
import type { ChatServer } from '../../src/server'
import { connected, eventually, startAgent, startClient, startServer, texts } from '../support/harness'
import { localLocks, localTab } from '../support/local-tabs'

let group = 0

/** Visitor sockets the server has open now. */
function visitorSockets(server: ChatServer): number {
  return [...server.io.sockets.sockets.values()].filter((socket) => socket.data.user?.role === 'visitor').length
}

function openTabs(server: ChatServer, count: number) {
  const storage = memoryStorage()
  const locks = localLocks()
  const storageKey = `tabs-${++group}`
  return Array.from({ length: count }, () => {
    const environment = manualEnvironment()
    const tabs = localTab(locks)
    const client = startClient({ url: server.url, storage, storageKey, environment, tabs: shareTabs(tabs) })
    return { client, environment, tabs }
  })
}

const byText = (client: ChatClient) => texts(client)

describe('tabs sharing one connection', () => {
  it('opens one socket for three tabs and shows every tab the same messages, unread count and typing', async () => {
    const server = await startServer()
    const [a, b, c] = openTabs(server, 3)
    await connected(a!.client, b!.client, c!.client)
    expect(visitorSockets(server)).toBe(1)
    const roomId = a!.client.conversation.get()!.roomId
    expect(b!.client.conversation.get()?.roomId).toBe(roomId)

    a!.client.send('from A')
    b!.client.send('from B')
    c!.client.send('from C')
    const agent = startAgent({ url: server.url })
    await connected(agent)
    await eventually(() => expect(agent.conversations.get().map((conv) => conv.roomId)).toContain(roomId))
    await agent.openConversation(roomId)
    await eventually(() => expect(byText(agent)).toHaveLength(3))
    const order = byText(agent)
    for (const tab of [a, b, c]) await eventually(() => expect(byText(tab!.client)).toEqual(order))

    agent.setTyping(true)
    for (const tab of [a, b, c]) await eventually(() => expect(tab!.client.typing.get().map((u) => u.role)).toEqual(['agent']))
    agent.send('Halo dari agen')
    for (const tab of [a, b, c]) await eventually(() => expect(tab!.client.unread.get()).toBe(1))
    for (const tab of [a, b, c]) await eventually(() => expect(byText(tab!.client)).toEqual([...order, 'Halo dari agen']))
    // Read in one tab: read in all.
    c!.client.markRead()
    for (const tab of [a, b, c]) await eventually(() => expect(tab!.client.unread.get()).toBe(0))
    expect(visitorSockets(server)).toBe(1)
  })

  it('hands the connection on within two seconds when the leader closes mid-burst: every message once, in order, in every tab', async () => {
    const server = await startServer()
    const [a, b, c] = openTabs(server, 3)
    await connected(a!.client, b!.client, c!.client)
    expect(visitorSockets(server)).toBe(1)
    const agent = startAgent({ url: server.url })
    await connected(agent)

    // A leads (it connected first). It sends a burst and closes while the burst is on the wire.
    const burst = Array.from({ length: 40 }, (_, i) => `A ${String(i).padStart(2, '0')}`)
    let stored = 0
    const stop = new Promise<void>((resolve) => {
      const original = server.store.appendMessage.bind(server.store)
      server.store.appendMessage = async (...args) => {
        const result = await original(...args)
        if (++stored === 12) resolve()
        return result
      }
    })
    for (const text of burst) a!.client.send(text)
    await stop
    const closedAt = Date.now()
    a!.environment.leave()
    a!.client.destroy()

    // Another tab leads within two seconds, on one socket again.
    await eventually(() => {
      expect(visitorSockets(server)).toBe(1)
      expect([b!.client.status.get(), c!.client.status.get()]).toEqual(['connected', 'connected'])
    }, 2000)
    expect(Date.now() - closedAt).toBeLessThan(2000)

    for (const tab of [b, c]) await eventually(() => expect(byText(tab!.client)).toEqual(burst), 10_000)
    const roomId = b!.client.conversation.get()!.roomId
    await agent.openConversation(roomId)
    await eventually(() => expect(byText(agent)).toEqual(burst))
    for (const tab of [b, c]) expect(tab!.client.messages.get().every((m) => m.status !== 'pending' && m.status !== 'failed')).toBe(true)
    // Those in flight when A closed went again with their clientIds: the server stored each once.
    const page = await server.store.getMessages(roomId, { limit: 100 })
    expect(page.messages.map((m) => m.text)).toEqual(burst)
  })

  it('keeps a follower’s burst when the follower closes mid-send: another tab sends the rest, each once', async () => {
    const server = await startServer()
    const [a, b, c] = openTabs(server, 3)
    await connected(a!.client, b!.client, c!.client)
    const burst = Array.from({ length: 30 }, (_, i) => `B ${String(i).padStart(2, '0')}`)
    // B is offline for a moment, so its burst waits in its outbox; it closes as it comes back.
    b!.environment.setOnline(false)
    for (const text of burst) b!.client.send(text)
    b!.environment.setOnline(true)
    b!.environment.leave()
    b!.client.destroy()
    for (const tab of [a, c]) await eventually(() => expect(byText(tab!.client)).toEqual(burst), 10_000)
    const roomId = a!.client.conversation.get()!.roomId
    expect((await server.store.getMessages(roomId, { limit: 100 })).messages.map((m) => m.text)).toEqual(burst)
    expect(visitorSockets(server)).toBe(1)
  })

  it('gives each client its own connection without tabs, and agents never share', async () => {
    const server = await startServer()
    const storage = memoryStorage()
    const locks = localLocks()
    const own = [startClient({ url: server.url, storage }), startClient({ url: server.url, storage, tabs: shareTabs(localTab(locks)) })]
    const agents = [startAgent({ url: server.url, tabs: shareTabs(localTab(locks)) }), startAgent({ url: server.url, tabs: shareTabs(localTab(locks)) })]
    await connected(...own, ...agents)
    expect(visitorSockets(server)).toBe(2)
    expect(server.io.sockets.sockets.size).toBe(4)
  })
})
