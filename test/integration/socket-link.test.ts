/**
 * The socket layer under frames a conforming server would not send, and the ways a connection
 * ends: which reason a drop carries, what an unreadable frame does, when a connection attempt
 * gives up. socket.io-client carries the packets; these pin what the client makes of them.
 */
import { describe, expect, it } from 'vitest'
import type { ChatClient, ChatError, StatusChange } from '../../src'
import { agentMessage, startFakeServer } from '../support/fake-server'
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

  it('reports an unreadable frame and reconnects', async () => {
    const fake = await startFakeServer()
    const client = startClient({ url: fake.url })
    const changes = recordStatus(client)
    const errors = recordErrors(client)
    await connected(client)
    fake.sockets()[0]!.conn.send('not a packet')
    await eventually(() => expect(changes.map((c) => c.reason)).toContain('transport_closed'))
    expect(errors.map((e) => [e.code, e.message])).toEqual([['invalid_event', 'unreadable packet from the server']])
    await connected(client)
  })

  it('reports a binary event as invalid and stays connected: the protocol is JSON only', async () => {
    const fake = await startFakeServer()
    const client = startClient({ url: fake.url })
    const errors = recordErrors(client)
    await connected(client)
    fake.sockets()[0]!.emit('new_message', Buffer.from('not json'))
    await eventually(() => expect(errors.map((e) => e.code)).toEqual(['invalid_event']))
    expect(errors[0]!.message).toMatch(/^new_message/)
    expect(client.status.get()).toBe('connected')
  })

  it('ignores events for another namespace', async () => {
    const fake = await startFakeServer()
    const client = startClient({ url: fake.url })
    const errors = recordErrors(client)
    await connected(client)
    fake.sockets()[0]!.conn.send('2/admin,["new_message",{}]')
    fake.sockets()[0]!.emit('new_message', agentMessage(1))
    await eventually(() => expect(client.messages.get().map((m) => m.seq)).toEqual([1]))
    expect(errors).toEqual([])
    expect(client.status.get()).toBe('connected')
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
