/**
 * The socket layer under frames a conforming server would not send, and the ways a connection
 * ends. The client speaks Socket.IO over engine.io itself, so these pin what socket.io-client
 * used to decide for it: which reason a drop carries, what an unreadable frame does, when a
 * connection attempt gives up.
 */
import { describe, expect, it } from 'vitest'
import type { ChatClient, ChatError, StatusChange } from '../../src'
import { startFakeServer } from '../support/fake-server'
import { connected, eventually, startAgent, startClient, startServer, startedRoom, texts } from '../support/harness'
import { ManualClock } from '../support/manual-clock'

function recordStatus(client: ChatClient): StatusChange[] {
  const changes: StatusChange[] = []
  client.on('status', (change) => changes.push(change))
  return changes
}

function recordErrors(client: ChatClient): ChatError[] {
  const errors: ChatError[] = []
  client.on('error', (error) => errors.push(error))
  return errors
}

describe('socket layer', () => {
  it('works over long-polling alone, where WebSocket is blocked', async () => {
    const server = await startServer()
    const socket = { transports: ['polling'] }
    const visitor = startClient({ url: server.url, socket })
    const agent = startAgent({ url: server.url, socket })
    await connected(visitor, agent)
    await agent.openConversation(await startedRoom(server, visitor))
    visitor.send('over polling')
    await eventually(() => expect(texts(agent)).toEqual(['over polling']))
    await eventually(() => expect(visitor.messages.get()[0]!.status).not.toBe('pending'))
    expect([...server.io.sockets.sockets.values()].map((s) => s.conn.transport.name)).toEqual(['polling', 'polling'])
  })

  it('tells a server that closed the socket from a transport that dropped', async () => {
    const fake = await startFakeServer()
    const client = startClient({ url: fake.url })
    const changes = recordStatus(client)
    await connected(client)
    fake.sockets()[0]!.disconnect(true)
    // The client is back within milliseconds, so look for the drop among all the changes.
    await eventually(() => expect(changes).toContainEqual({ prev: 'connected', next: 'reconnecting', reason: 'server_closed' }))
    await connected(client)
    fake.sockets()[0]!.conn.close()
    await eventually(() => expect(changes).toContainEqual({ prev: 'connected', next: 'reconnecting', reason: 'transport_closed' }))
    await connected(client)
    expect(changes.filter((c) => c.next === 'reconnecting').map((c) => c.reason)).toEqual(['server_closed', 'transport_closed'])
  })

  it('says goodbye with a DISCONNECT when the client disconnects', async () => {
    const fake = await startFakeServer()
    const client = startClient({ url: fake.url })
    await connected(client)
    const reason = new Promise((resolve) => fake.sockets()[0]!.on('disconnect', resolve))
    client.disconnect()
    await expect(reason).resolves.toBe('client namespace disconnect')
  })

  it.each([
    ['garbage', 'not a packet'],
    ['a binary event', '51-["new_message",{"_placeholder":true,"num":0}]'],
    ['an event in another namespace', '2/admin,["new_message",{}]'],
  ])('reports %s as unreadable and reconnects', async (_what, frame) => {
    const fake = await startFakeServer()
    const client = startClient({ url: fake.url })
    const changes = recordStatus(client)
    const errors = recordErrors(client)
    await connected(client)
    fake.sockets()[0]!.conn.send(frame)
    await eventually(() => expect(changes.map((c) => c.reason)).toContain('transport_closed'))
    expect(errors.map((e) => [e.code, e.message])).toEqual([['invalid_event', expect.stringMatching(/^unreadable packet/)]])
    await connected(client)
  })

  it('drops an ack nobody asked for', async () => {
    const fake = await startFakeServer()
    const client = startClient({ url: fake.url })
    const errors = recordErrors(client)
    await connected(client)
    fake.sockets()[0]!.conn.send('3999[{"ok":true}]')
    fake.sockets()[0]!.emit('new_message', { nonsense: true })
    await eventually(() => expect(errors).toHaveLength(1))
    expect(errors[0]!.message).toMatch(/^new_message/)
    expect(client.status.get()).toBe('connected')
  })

  it('reports a refusal with a code it does not know and tries again', async () => {
    const fake = await startFakeServer()
    let refusals = 0
    fake.io.use((_socket, next) =>
      ++refusals === 1 ? next(Object.assign(new Error('busy'), { data: { code: 'overloaded', message: 'try later' } })) : next(),
    )
    const client = startClient({ url: fake.url })
    const errors = recordErrors(client)
    await connected(client)
    expect(errors.map((e) => [e.code, e.message])).toEqual([['internal', 'Connection refused: try later']])
  })

  it('gives up on a connection attempt the server never answers, after 20 s or `socket.timeout`', async () => {
    const fake = await startFakeServer()
    fake.io.use(() => {}) // never lets the socket in
    const clock = new ManualClock()
    const client = startClient({ url: fake.url, clock, autoConnect: false })
    const changes = recordStatus(client)
    client.connect()
    await eventually(() => expect(fake.io.engine.clientsCount).toBe(1))
    clock.advance(19_999)
    expect(client.status.get()).toBe('connecting')
    clock.advance(1)
    expect(changes.at(-1)).toEqual({ prev: 'connecting', next: 'reconnecting', reason: 'connect_error' })

    const quick = startClient({ url: fake.url, clock, socket: { transports: ['websocket'], timeout: 5000 } })
    clock.advance(4999)
    expect(quick.status.get()).toBe('connecting')
    clock.advance(1)
    expect(quick.status.get()).toBe('reconnecting')
  })
})
