/**
 * Each agent's own read marks and typing, with the core against the real server over real
 * sockets: two agents (and a second tab of one), a visitor's messages, reads that count for the
 * agent who read (and for the visitor's ticks), marks kept over a SQLite restart and carried
 * between two nodes on Redis.
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChatClient } from '../../src'
import type { ChatServerOptions } from '../../src/server'
import { connected, eventually, startAgent, startClient, startServer } from '../support/harness'
import { useRedisServer } from '../support/redis-server'

const agents = {
  sari: { id: 'sari', role: 'agent' as const, name: 'Sari' },
  budi: { id: 'budi', role: 'agent' as const, name: 'Budi' },
  citra: { id: 'citra', role: 'agent' as const, name: 'Citra' },
}
const authenticateAgent = async (token: string) => agents[token as keyof typeof agents]

const redis = useRedisServer()
let folder = ''
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'obrolan-reads-'))
})
afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

/** This agent's count for the room in its list (`client.conversations`). */
const listed = (client: ChatClient, roomId: string) => client.conversations.get().find((c) => c.roomId === roomId)?.unread.agent

const agent = (url: string, token: keyof typeof agents) => startAgent({ url, token, name: undefined })

/** A visitor on `url` whose three messages are stored; resolves to the visitor and its room. */
async function visitorWithThree(url: string): Promise<{ visitor: ChatClient; roomId: string }> {
  const visitor = startClient({ url })
  await connected(visitor)
  for (const text of ['Halo', 'Ada yang bisa bantu?', 'Pesanan saya belum sampai']) visitor.send(text)
  await eventually(() => expect(visitor.messages.get().map((m) => m.status)).toEqual(['sent', 'sent', 'sent']))
  return { visitor, roomId: visitor.conversation.get()!.roomId }
}

describe('each agent’s read marks are its own', () => {
  it('counts unread per agent in the list and the open conversation, across tabs, while the visitor sees read', async () => {
    const server = await startServer({ authenticateAgent })
    const { visitor, roomId } = await visitorWithThree(server.url)
    const sari = agent(server.url, 'sari')
    const sariTab = agent(server.url, 'sari')
    const budi = agent(server.url, 'budi')
    const citra = agent(server.url, 'citra')
    await connected(sari, sariTab, budi, citra)
    for (const client of [sari, sariTab, budi, citra]) await eventually(() => expect(listed(client, roomId)).toBe(3))

    // Budi opens the conversation and reads nothing: opening makes his own mark, at 0.
    await budi.openConversation(roomId)
    await sari.openConversation(roomId)
    expect(budi.unread.get()).toBe(3)
    expect(sari.unread.get()).toBe(3)

    sari.markRead()
    expect(sari.unread.get()).toBe(0)
    await eventually(() => expect(listed(sari, roomId)).toBe(0))
    // The visitor sees the messages read: any agent's read is the team's.
    await eventually(() => expect(visitor.messages.get().map((m) => m.status)).toEqual(['read', 'read', 'read']))
    // Budi's counts are his own: the team's mark moved, his did not.
    await eventually(() => expect(budi.conversation.get()?.watermarks.agent.read).toBe(3))
    expect(budi.unread.get()).toBe(3)
    expect(listed(budi, roomId)).toBe(3)
    // Citra never opened it: all three are unread for her, whatever her teammates read.
    expect(listed(citra, roomId)).toBe(3)

    // A fourth message: one more for Sari, four for Budi.
    visitor.send('Nomor pesanan 1234')
    await eventually(() => expect(listed(sari, roomId)).toBe(1))
    await eventually(() => expect(listed(budi, roomId)).toBe(4))
    await eventually(() => expect(budi.unread.get()).toBe(4))
    expect(sari.unread.get()).toBe(1)
    await eventually(() => expect(listed(citra, roomId)).toBe(4))

    // Budi reads everything: his count is 0, Sari's stays 1, in both of her tabs (the tab that
    // never opened the conversation knows her mark from her read, not from the team's).
    budi.markRead()
    expect(budi.unread.get()).toBe(0)
    await eventually(() => expect(listed(budi, roomId)).toBe(0))
    await eventually(() => expect(sari.conversation.get()?.watermarks.agent.read).toBe(4))
    expect(listed(sari, roomId)).toBe(1)
    expect(sari.unread.get()).toBe(1)
    expect(listed(sariTab, roomId)).toBe(1)

    // Sari reads in her other tab: the first tab's list and open conversation follow.
    await sariTab.openConversation(roomId)
    expect(sariTab.unread.get()).toBe(1)
    sariTab.markRead()
    await eventually(() => expect(sari.unread.get()).toBe(0))
    await eventually(() => expect(listed(sari, roomId)).toBe(0))
    expect(listed(budi, roomId)).toBe(0)
  })

  it('shows a teammate typing with their name, and never one’s own typing, from any tab', async () => {
    const server = await startServer({ authenticateAgent })
    const { visitor, roomId } = await visitorWithThree(server.url)
    const sari = agent(server.url, 'sari')
    const sariTab = agent(server.url, 'sari')
    const budi = agent(server.url, 'budi')
    await connected(sari, sariTab, budi)
    for (const client of [sari, sariTab, budi]) await client.openConversation(roomId)

    sari.setTyping(true)
    await eventually(() => expect(budi.typing.get()).toEqual([{ id: 'sari', role: 'agent', name: 'Sari' }]))
    await eventually(() => expect(visitor.typing.get()).toEqual([{ id: 'sari', role: 'agent', name: 'Sari' }]))
    budi.setTyping(true)
    await eventually(() => expect(sari.typing.get()).toEqual([{ id: 'budi', role: 'agent', name: 'Budi' }]))
    await eventually(() => expect(visitor.typing.get().map((a) => a.id).sort()).toEqual(['budi', 'sari']))
    // Sari's other tab hears Budi, and not Sari herself typing in her first tab.
    await eventually(() => expect(sariTab.typing.get()).toEqual([{ id: 'budi', role: 'agent', name: 'Budi' }]))
    expect(sari.typing.get().some((a) => a.id === 'sari')).toBe(false)
  })

  it('keeps each agent’s marks over a restart on SQLite', async () => {
    const options: ChatServerOptions = { authenticateAgent, database: `sqlite:${join(folder, 'reads.db')}` }
    const first = await startServer(options)
    const { visitor, roomId } = await visitorWithThree(first.url)
    const sari = agent(first.url, 'sari')
    const budi = agent(first.url, 'budi')
    await connected(sari, budi)
    await budi.openConversation(roomId)
    await sari.openConversation(roomId)
    sari.markRead()
    await eventually(() => expect(listed(sari, roomId)).toBe(0))
    for (const client of [visitor, sari, budi]) client.destroy()
    await first.close()

    const again = await startServer(options)
    const sariAgain = agent(again.url, 'sari')
    const budiAgain = agent(again.url, 'budi')
    const citra = agent(again.url, 'citra')
    await connected(sariAgain, budiAgain, citra)
    // From the list's first page: Sari's mark and Budi's (opened, nothing read) came back.
    expect(listed(sariAgain, roomId)).toBe(0)
    expect(listed(budiAgain, roomId)).toBe(3)
    // Citra never opened it: all three are hers to read.
    expect(listed(citra, roomId)).toBe(3)
    await budiAgain.openConversation(roomId)
    expect(budiAgain.unread.get()).toBe(3)
  })

  it('tells an agent’s tab on another node of a read, through Redis', async () => {
    const shared: ChatServerOptions = { authenticateAgent, secret: 'shared-secret', redis: { url: redis.url, keyPrefix: `reads:${randomUUID()}:` } }
    const one = await startServer(shared)
    const two = await startServer(shared)
    const { roomId } = await visitorWithThree(one.url)
    const sari = agent(one.url, 'sari')
    const sariOnTwo = agent(two.url, 'sari')
    const budiOnTwo = agent(two.url, 'budi')
    await connected(sari, sariOnTwo, budiOnTwo)
    for (const client of [sari, sariOnTwo, budiOnTwo]) await client.openConversation(roomId)
    expect(sariOnTwo.unread.get()).toBe(3)

    sari.markRead()
    // Only the agent_read event sent to Sari's sockets can bring her open conversation to 0 on node two.
    await eventually(() => expect(sariOnTwo.unread.get()).toBe(0))
    await eventually(() => expect(listed(sariOnTwo, roomId)).toBe(0))
    await eventually(() => expect(budiOnTwo.conversation.get()?.watermarks.agent.read).toBe(3))
    expect(budiOnTwo.unread.get()).toBe(3)
    expect(listed(budiOnTwo, roomId)).toBe(3)
  })
})
