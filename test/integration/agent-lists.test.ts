/**
 * Agents' lists against the real server: paging the unfiltered list, filtered lists that stay
 * live, loading again after a reconnect, assignment and search.
 */
import { describe, expect, it } from 'vitest'
import { ChatError, type ChatClient } from '../../src'
import type { ChatServer } from '../../src/server'
import { connected, eventually, startAgent, startClient, startServer } from '../support/harness'

const agents = {
  sari: { id: 'sari', role: 'agent' as const, name: 'Sari' },
  budi: { id: 'budi', role: 'agent' as const, name: 'Budi' },
}
const authenticateAgent = async (token: string) => agents[token as keyof typeof agents]

/** `count` conversations written straight into the store, room `r0` the oldest; one visitor message each. */
async function fill(server: ChatServer, count: number, start = Date.now() - 1_000_000): Promise<void> {
  for (let i = 0; i < count; i++) {
    const visitor = { id: `v${i}`, role: 'visitor' as const, name: `Visitor ${i}` }
    await server.store.openVisitorConversation(visitor, `r${i}`, start + i)
    await server.store.appendMessage({ roomId: `r${i}`, clientId: `c${i}`, author: visitor, text: `hello ${i}`, createdAt: start + i }, `m${i}`)
  }
}

const rooms = (client: ChatClient | { conversations: { get(): { roomId: string }[] } }) => client.conversations.get().map((c) => c.roomId)

describe('the agents’ conversation list', () => {
  it('pages: the first 200, then more on request, with a conversation that changes meanwhile merged once', async () => {
    const server = await startServer({ authenticateAgent })
    await fill(server, 250)
    const sari = startAgent({ url: server.url, token: 'sari' })
    const budi = startAgent({ url: server.url, token: 'budi' })
    await connected(sari, budi)
    expect(sari.conversations.get()).toHaveLength(200)
    expect(rooms(sari)[0]).toBe('r249')
    expect(sari.conversationsHaveMore.get()).toBe(true)

    // r10 is not loaded: a change to it puts it at the top all the same.
    await budi.openConversation('r10')
    await budi.setConversationStatus('pending')
    await eventually(() => expect(rooms(sari)[0]).toBe('r10'))
    expect(sari.conversations.get()[0]!.status).toBe('pending')

    expect(await sari.loadMoreConversations()).toBe(49)
    expect(sari.conversationsHaveMore.get()).toBe(false)
    expect(new Set(rooms(sari)).size).toBe(250)
    expect(await sari.loadMoreConversations()).toBe(0)
  })

  it('filters by status and assignee; each filtered list pages and follows every change', async () => {
    const server = await startServer({ authenticateAgent })
    await fill(server, 5)
    const sari = startAgent({ url: server.url, token: 'sari' })
    const budi = startAgent({ url: server.url, token: 'budi' })
    await connected(sari, budi)
    const mine = sari.queryConversations({ assignee: 'sari' })
    const unassigned = budi.queryConversations({ assignee: null, limit: 2 })
    const pending = budi.queryConversations({ status: 'pending' })
    await eventually(() => expect(mine.loaded.get() && unassigned.loaded.get() && pending.loaded.get()).toBe(true))
    expect(mine.conversations.get()).toEqual([])
    expect(rooms(unassigned)).toEqual(['r4', 'r3'])
    expect(unassigned.hasMore.get()).toBe(true)
    expect(await unassigned.loadMore()).toBe(2)
    expect(await unassigned.loadMore()).toBe(1)
    expect(unassigned.hasMore.get()).toBe(false)

    const assigned = await sari.assignConversation('r2', 'sari')
    expect(assigned.assignee).toMatchObject({ id: 'sari', name: 'Sari' })
    await eventually(() => expect(rooms(mine)).toEqual(['r2']))
    await eventually(() => expect(rooms(unassigned)).toEqual(['r4', 'r3', 'r1', 'r0']))
    // Budi's unfiltered list shows who has it.
    await eventually(() => expect(budi.conversations.get().find((c) => c.roomId === 'r2')?.assignee?.id).toBe('sari'))

    await sari.openConversation('r2')
    await sari.setConversationStatus('pending')
    await eventually(() => expect(rooms(pending)).toEqual(['r2']))
    await sari.assignConversation('r2', null)
    await eventually(() => expect(mine.conversations.get()).toEqual([]))
    await eventually(() => expect(rooms(unassigned)).toContain('r2'))

    // A closed list hears nothing more.
    pending.close()
    await sari.setConversationStatus('open')
    await eventually(() => expect(budi.conversations.get().find((c) => c.roomId === 'r2')?.status).toBe('open'))
    expect(rooms(pending)).toEqual(['r2'])
    expect(await pending.loadMore()).toBe(0)
  })

  it('loads every list again on reconnect: what changed while the agent was away is right', async () => {
    const server = await startServer({ authenticateAgent })
    await fill(server, 4)
    const sari = startAgent({ url: server.url, token: 'sari' })
    const budi = startAgent({ url: server.url, token: 'budi' })
    await connected(sari, budi)
    const open = sari.queryConversations({ status: 'open' })
    await eventually(() => expect(rooms(open)).toEqual(['r3', 'r2', 'r1', 'r0']))
    sari.disconnect()
    await budi.openConversation('r1')
    await budi.setConversationStatus('closed')
    const visitor = startClient({ url: server.url, name: 'Nia' })
    visitor.send('I am new here')
    await eventually(() => expect(visitor.messages.get()[0]?.status).toBe('sent'))
    sari.connect()
    await connected(sari)
    await eventually(() => expect(open.conversations.get().map((c) => c.visitor.name)).toEqual(['Nia', 'Visitor 3', 'Visitor 2', 'Visitor 0']))
    expect(sari.conversations.get().find((c) => c.roomId === 'r1')?.status).toBe('closed')
  })

  it('refuses what only agents do, and bad filters, in words', async () => {
    const server = await startServer({ authenticateAgent })
    const visitor = startClient({ url: server.url })
    const sari = startAgent({ url: server.url, token: 'sari' })
    await connected(visitor, sari)
    await expect(visitor.assignConversation('r', null)).rejects.toMatchObject({ code: 'forbidden' })
    await expect(visitor.searchMessages('hi')).rejects.toMatchObject({ code: 'forbidden' })
    expect(() => visitor.queryConversations({})).toThrow(ChatError)
    await expect(visitor.loadMoreConversations()).rejects.toMatchObject({ code: 'forbidden' })
    expect(() => sari.queryConversations({ status: 'done' as never })).toThrow(/status\?: 'open' \| 'pending' \| 'closed'/)
    expect(() => sari.queryConversations({ limit: 501 })).toThrow(/limit\?: 1 to 500/)
    await expect(sari.assignConversation('', 'sari')).rejects.toMatchObject({ code: 'bad_request' })
    await expect(sari.assignConversation('ghost', 'sari')).rejects.toMatchObject({ code: 'not_found' })
    // Without agent accounts the server knows no other agent: only oneself can be assigned.
    await fill(server, 1)
    await expect(sari.assignConversation('r0', 'budi')).rejects.toThrow('assign_conversation: Without agent accounts an agent can assign only itself')
  })
})

describe('search', () => {
  it('finds messages of every conversation by the beginnings of their words, newest first, and pages with before', async () => {
    const server = await startServer({ authenticateAgent })
    const sari = startAgent({ url: server.url, token: 'sari' })
    const ani = startClient({ url: server.url, name: 'Ani' })
    const bayu = startClient({ url: server.url, name: 'Bayu' })
    await connected(sari, ani, bayu)
    ani.send('Where is my parcel?')
    await eventually(() => expect(ani.messages.get()[0]?.status).toBe('sent'))
    bayu.send('The parcels arrived broken')
    bayu.send('Unrelated words')
    await eventually(() => expect(bayu.messages.get().every((m) => m.status === 'sent')).toBe(true))
    const hits = await sari.searchMessages('parc')
    expect(hits.map((m) => m.text)).toEqual(['The parcels arrived broken', 'Where is my parcel?'])
    expect(hits[1]!.roomId).toBe(ani.conversation.get()!.roomId)
    const older = await sari.searchMessages('parc', { before: hits[0]!.createdAt, limit: 1 })
    expect(older.map((m) => m.text)).toEqual(['Where is my parcel?'])
    expect(await sari.searchMessages('nothing-like-this')).toEqual([])
    await expect(sari.searchMessages('x'.repeat(201))).rejects.toMatchObject({ code: 'bad_request' })
  })
})
