import { describe, expect, it } from 'vitest'
import { ChatError, type ChatClient, type StatusChange } from '../../src'
import type { WireMessage } from '../../src/protocol'
import { agentMessage, emptyConversation, startFakeServer } from '../support/fake-server'
import { connected, eventually, startClient } from '../support/harness'
import { ManualClock } from '../support/manual-clock'

function recordStatus(client: ChatClient): StatusChange[] {
  const changes: StatusChange[] = []
  client.on('status', (change) => changes.push(change))
  return changes
}

describe('core client against a faulty server', () => {
  it('drops malformed events, reports each on `error`, and keeps working', async () => {
    const fake = await startFakeServer()
    const client = startClient({ url: fake.url })
    const errors: ChatError[] = []
    client.on('error', (e) => errors.push(e))
    await connected(client)

    const [socket] = fake.sockets()
    const garbage: [string, unknown][] = [
      ['new_message', undefined],
      ['new_message', null],
      ['new_message', 'text'],
      ['new_message', 42],
      ['new_message', []],
      ['new_message', { ...agentMessage(1), seq: -1 }],
      ['new_message', { ...agentMessage(1), seq: 1.5 }],
      ['new_message', { ...agentMessage(1), author: { id: 'x', role: 'admin' } }],
      ['new_message', { ...agentMessage(1), text: { html: '<b>' } }],
      ['message_status_update', { roomId: 'room-1', watermarks: { visitor: 'all' } }],
      ['typing_indicator', { roomId: 'room-1', isTyping: 'yes' }],
      ['connection_status_update', { roomId: 'room-1' }],
      ['conversation_updated', { roomId: 5 }],
      ['message_edited', { id: 'm1' }],
      ['message_deleted', null],
    ]
    for (const [event, payload] of garbage) socket!.emit(event, payload)
    socket!.emit('an_event_nobody_defined', { x: 1 })
    socket!.emit('new_message', agentMessage(1))

    await eventually(() => expect(client.messages.get().map((m) => m.text)).toEqual(['agent 1']))
    expect(errors).toHaveLength(garbage.length)
    expect(errors.every((e) => e.code === 'invalid_event')).toBe(true)
    expect(errors[0]!.message).toMatch(/^new_message/)
    expect(client.status.get()).toBe('connected')
  })

  it('marks a refused message failed with the reason, and retry sends it again', async () => {
    const fake = await startFakeServer()
    let refuse = true
    fake.handlers.send_message = (payload, ack) => {
      const { clientId, text } = payload as { clientId: string; text: string }
      if (refuse) ack?.({ ok: false, error: { code: 'forbidden', message: 'conversation is archived' } })
      else ack?.({ ok: true, message: agentMessage(1, { clientId, text, author: { id: 'v1', role: 'visitor' } }) })
    }
    const client = startClient({ url: fake.url })
    const failed: string[] = []
    client.on('failed', (m) => failed.push(m.error!.message))
    await connected(client)

    const sent = client.send('hello')
    await eventually(() => expect(client.messages.get()[0]!.status).toBe('failed'))
    expect(client.messages.get()[0]!.error).toEqual({ code: 'forbidden', message: 'conversation is archived' })
    expect(failed).toEqual(['conversation is archived'])

    refuse = false
    client.retry(sent.clientId)
    await eventually(() => expect(client.messages.get()).toMatchObject([{ clientId: sent.clientId, status: 'sent', seq: 1 }]))
    expect(fake.received.filter((r) => r.event === 'send_message')).toHaveLength(2)
  })

  it('keeps a message through a transient refusal and sends it again on the next connection', async () => {
    const fake = await startFakeServer()
    let answers = 0
    fake.handlers.send_message = (payload, ack, socket) => {
      const { clientId, text } = payload as { clientId: string; text: string }
      if (answers++ === 0) {
        ack?.({ ok: false, error: { code: 'internal', message: 'database hiccup' } })
        socket.disconnect(true)
      } else ack?.({ ok: true, message: agentMessage(1, { clientId, text, author: { id: 'v1', role: 'visitor' } }) })
    }
    const client = startClient({ url: fake.url })
    await connected(client)
    client.send('persistent')
    await eventually(() => expect(client.messages.get()[0]!.status).toBe('sent'))
    expect(answers).toBe(2)
  })

  it('treats a silent link as dead once the heartbeat deadline passes', async () => {
    const fake = await startFakeServer()
    const clock = new ManualClock()
    fake.session = { user: { id: 'v1', role: 'visitor' }, roomId: 'room-1', heartbeatMs: 1000, maxTextLength: 4000 }
    const client = startClient({ url: fake.url, clock, heartbeatGraceMs: 500 })
    const changes = recordStatus(client)
    await connected(client)

    clock.advance(1499)
    expect(client.status.get()).toBe('connected')
    expect(clock.pending()[0]).toBe(1)
    fake.sockets()[0]!.emit('heartbeat', { t: 1 })
    // The heartbeat re-arms the watchdog for a full period from now.
    await eventually(() => expect(clock.pending()[0]).toBe(1500))
    clock.advance(1499)
    expect(client.status.get()).toBe('connected')
    clock.advance(1)
    expect(client.status.get()).toBe('reconnecting')
    expect(changes.at(-1)).toEqual({ prev: 'connected', next: 'reconnecting', reason: 'heartbeat_timeout' })
  })

  it('treats a missing ack as a dead link and reconnects', async () => {
    const fake = await startFakeServer()
    const clock = new ManualClock()
    fake.handlers.send_message = () => {} // swallowed
    const client = startClient({ url: fake.url, clock, ackTimeoutMs: 3000 })
    const changes = recordStatus(client)
    await connected(client)
    client.send('into the void')
    await eventually(() => expect(fake.received.some((r) => r.event === 'send_message')).toBe(true))
    clock.advance(2999)
    expect(client.status.get()).toBe('connected')
    clock.advance(1)
    expect(changes.at(-1)?.reason).toBe('ack_timeout')
    expect(client.messages.get()[0]!.status).toBe('pending')
  })

  it('waits out a jittered, capped backoff between attempts', async () => {
    const fake = await startFakeServer()
    await fake.close()
    const clock = new ManualClock()
    clock.randomValue = 0.5
    const client = startClient({ url: fake.url, clock, backoff: { minMs: 1000, maxMs: 5000 }, autoConnect: false })
    const changes = recordStatus(client)
    client.connect()
    await eventually(() => expect(client.status.get()).toBe('reconnecting'))
    // attempt 0: 0.5 × 1000
    expect(clock.pending()).toEqual([500])
    clock.advance(500)
    await eventually(() => expect(clock.pending()).toEqual([1000])) // attempt 1: 0.5 × 2000
    clock.advance(1000)
    await eventually(() => expect(clock.pending()).toEqual([2000]))
    clock.advance(2000)
    await eventually(() => expect(clock.pending()).toEqual([2500])) // capped: 0.5 × 5000
    expect(changes.map((c) => c.next)).toEqual(['connecting', 'reconnecting'])
  })

  it('retries at once when the page becomes visible while waiting', async () => {
    const fake = await startFakeServer()
    const clock = new ManualClock()
    const { manualEnvironment } = await import('../../src/core/util/environment')
    const environment = manualEnvironment()
    const client = startClient({ url: fake.url, clock, environment, backoff: { minMs: 60_000, maxMs: 60_000 } })
    await connected(client)
    fake.sockets()[0]!.disconnect(true)
    await eventually(() => expect(client.status.get()).toBe('reconnecting'))
    expect(clock.pending()).toContain(30_000)
    environment.becomeVisible()
    await connected(client)
  })

  it('stops for good when the server does not speak its protocol version', async () => {
    const fake = await startFakeServer()
    fake.io.use((_socket, next) => next(Object.assign(new Error('unsupported'), { data: { code: 'unsupported_version', message: 'speak v2' } })))
    const client = startClient({ url: fake.url })
    const errors: string[] = []
    client.on('error', (e) => errors.push(e.code))
    await eventually(() => expect(errors).toEqual(['unsupported_version']))
    expect(client.status.get()).toBe('disconnected')
  })

  it('rejects requests while disconnected with a clear error', async () => {
    const fake = await startFakeServer()
    const client = startClient({ url: fake.url, autoConnect: false })
    client.send('queued, not refused')
    expect(client.messages.get()[0]!.status).toBe('pending')
    await expect(client.loadOlder()).resolves.toBe(0)
    await expect(client.setConversationStatus('closed')).rejects.toBeInstanceOf(ChatError)
    expect(() => (client.send as (t: unknown) => unknown)(42)).toThrow(/string/)
  })

  describe('a confused server (found by the fuzz tests)', () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
    const sentMessage = (payload: unknown, extra: Partial<WireMessage>) => {
      const { clientId, text } = payload as { clientId: string; text: string }
      return { ok: true, message: agentMessage(1, { clientId, text, author: { id: 'v1', role: 'visitor' }, ...extra }) }
    }

    it('lists one id once even when it comes again under another seq', async () => {
      const fake = await startFakeServer()
      const client = startClient({ url: fake.url })
      const errors: string[] = []
      client.on('error', (e) => errors.push(e.message))
      await connected(client)
      fake.sockets()[0]!.emit('new_message', agentMessage(1))
      fake.sockets()[0]!.emit('new_message', agentMessage(2, { id: 'm1', clientId: 'c1' }))
      await eventually(() => expect(errors).toEqual(['new_message: message m1 is already at seq 1']))
      expect(client.messages.get().map((m) => m.id)).toEqual(['m1'])
    })

    it('keeps who wrote a message when a later copy of it says otherwise', async () => {
      const fake = await startFakeServer()
      const client = startClient({ url: fake.url })
      await connected(client)
      fake.sockets()[0]!.emit('new_message', agentMessage(1))
      fake.sockets()[0]!.emit('message_edited', agentMessage(1, { clientId: 'other', author: { id: 'x', role: 'visitor' }, text: 'edited', editedAt: 5 }))
      await eventually(() => expect(client.messages.get()[0]).toMatchObject({ text: 'edited', clientId: 'c1', author: { id: 'agent' } }))
    })

    it('keeps another room’s messages out of the open room', async () => {
      const fake = await startFakeServer()
      fake.handlers.get_history = (_payload, ack) => ack?.({ ok: true, messages: [agentMessage(1, { roomId: 'room-2' })], hasMore: false })
      const client = startClient({ url: fake.url })
      const errors: string[] = []
      client.on('error', (e) => errors.push(e.message))
      await connected(client)
      fake.sockets()[0]!.emit('new_message', agentMessage(3))
      await eventually(() => expect(errors).toContain('get_history ack: message m1 belongs to room-2, not room-1'))
      expect(client.messages.get().map((m) => m.roomId)).toEqual(['room-1'])
    })

    it('never lets a sent message vanish on an ack for another room', async () => {
      const fake = await startFakeServer()
      fake.handlers.send_message = (payload, ack) => ack?.(sentMessage(payload, { roomId: 'room-2' }))
      const client = startClient({ url: fake.url })
      await connected(client)
      const sent = client.send('hello')
      await eventually(() => expect(fake.received.some((r) => r.event === 'send_message')).toBe(true))
      await sleep(100)
      expect(client.messages.get()).toMatchObject([{ clientId: sent.clientId, status: 'pending' }])
    })

    it('never lets a sent message vanish on an ack whose seq is already taken', async () => {
      const fake = await startFakeServer()
      fake.handlers.send_message = (payload, ack) => ack?.(sentMessage(payload, { id: 'mine' }))
      const client = startClient({ url: fake.url })
      await connected(client)
      fake.sockets()[0]!.emit('new_message', agentMessage(1))
      await eventually(() => expect(client.messages.get()).toHaveLength(1))
      const sent = client.send('hello')
      await eventually(() => expect(fake.received.some((r) => r.event === 'send_message')).toBe(true))
      await sleep(100)
      expect(client.messages.get().map((m) => [m.clientId, m.status])).toEqual([
        ['c1', 'sent'],
        [sent.clientId, 'pending'],
      ])
    })

    it('reports a malformed gap-fetch answer once', async () => {
      const fake = await startFakeServer()
      fake.handlers.get_history = (_payload, ack) => ack?.('garbage')
      const client = startClient({ url: fake.url })
      const errors: string[] = []
      client.on('error', (e) => errors.push(e.message))
      await connected(client)
      fake.sockets()[0]!.emit('new_message', agentMessage(3))
      await eventually(() => expect(errors.length).toBeGreaterThan(0))
      await sleep(100)
      expect(errors).toHaveLength(1)
    })

    it('checks heartbeats like every other event', async () => {
      const fake = await startFakeServer()
      const client = startClient({ url: fake.url })
      const errors: string[] = []
      client.on('error', (e) => errors.push(e.code))
      await connected(client)
      fake.sockets()[0]!.emit('heartbeat', { t: 'not a time' })
      await eventually(() => expect(errors).toEqual(['invalid_event']))
    })
  })

  it('fills a gap that a live message opened before the rejoin was answered', async () => {
    const fake = await startFakeServer()
    let joins = 0
    fake.handlers.join_room = (_payload, ack, socket) => {
      joins++
      if (joins === 1) {
        ack?.({ ok: true, conversation: { ...emptyConversation('room-1'), lastSeq: 2 }, messages: [agentMessage(1), agentMessage(2)], hasMore: false, hasOlder: false })
        return
      }
      // The rejoin: a live message far ahead arrives first, then a page that is not the whole backlog.
      socket.emit('new_message', agentMessage(100))
      setTimeout(() => ack?.({ ok: true, conversation: { ...emptyConversation('room-1'), lastSeq: 100 }, messages: Array.from({ length: 50 }, (_, i) => agentMessage(i + 3)), hasMore: true, hasOlder: false }), 30)
    }
    fake.handlers.get_history = (payload, ack) => {
      const { afterSeq } = payload as { afterSeq: number }
      const messages = Array.from({ length: Math.min(50, 99 - afterSeq) }, (_, i) => agentMessage(afterSeq + i + 1))
      ack?.({ ok: true, messages, hasMore: afterSeq + messages.length < 99 })
    }
    const client = startClient({ url: fake.url })
    await connected(client)
    fake.sockets()[0]!.disconnect(true)
    await eventually(() => expect(client.messages.get().map((m) => m.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1)))
  })
})
