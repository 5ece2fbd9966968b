import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { io } from 'socket.io-client'
import { createMemoryStore } from '../../src/server'
import type { Store } from '../../src/server'
import { VISITOR_AUTH, nextEvent, record, request, settle, useHarness } from './helpers'

const harness = useHarness()

/** Resolves true when nothing listens on the port any more. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}

/** The same store, but every call takes a random few milliseconds, as a networked one would. */
function sluggish(store: Store): Store {
  return new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown
      if (typeof value !== 'function') return value
      return async (...args: unknown[]) => {
        await new Promise((r) => setTimeout(r, Math.random() * 4))
        return (value as (...a: unknown[]) => unknown).apply(target, args)
      }
    },
  })
}

describe('lifecycle', () => {
  it('frees the port on close, so a new server on it with the same store resumes the visitor', async () => {
    const store = createMemoryStore()
    const first = await harness.start({ store, secret: 'stable' })
    const port = first.port
    const visitor = await harness.visitor(first)
    await request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: 'before', text: 'before restart' })
    const dropped = new Promise<string>((resolve) => visitor.socket.on('disconnect', (reason) => resolve(reason)))

    await first.close()
    expect(await dropped).toBeTruthy()
    expect(await portIsFree(port)).toBe(true)

    const second = await harness.start({ store, secret: 'stable', port })
    expect(second.port).toBe(port)
    expect(second.url).toBe(`http://127.0.0.1:${port}`)
    const resumed = await harness.connect(second, {
      ...VISITOR_AUTH,
      visitorId: visitor.session.user.id,
      token: visitor.session.visitorToken,
    })
    expect(resumed.session.roomId).toBe(visitor.roomId)
    const joined = await request(resumed.socket, 'join_room', { roomId: visitor.roomId, afterSeq: 0 })
    expect(joined).toMatchObject({ ok: true, messages: [{ seq: 1, text: 'before restart' }] })
    const next = await request(resumed.socket, 'send_message', { roomId: visitor.roomId, clientId: 'after', text: 'after' })
    expect(next).toMatchObject({ ok: true, message: { seq: 2 } })
  })

  it('closes promptly with long-polling clients connected, and close() is idempotent', async () => {
    const server = await harness.start()
    const port = server.port
    const polling = io(server.url, { auth: VISITOR_AUTH, transports: ['polling'], forceNew: true, reconnection: false })
    try {
      await new Promise((resolve, reject) => {
        polling.once('session' as never, resolve)
        polling.once('connect_error', reject)
      })
      const started = Date.now()
      await Promise.all([server.close(), server.close()])
      expect(Date.now() - started).toBeLessThan(1000)
      expect(await portIsFree(port)).toBe(true)
    } finally {
      polling.disconnect()
    }
  })

  it('stops the heartbeat on close', async () => {
    const server = await harness.start({ heartbeatMs: 20 })
    const { socket } = await harness.connect(server, VISITOR_AUTH)
    await nextEvent(socket, 'heartbeat')
    const beats = record(socket, 'heartbeat')
    await server.close()
    await new Promise((r) => setTimeout(r, 80))
    expect(beats.length).toBeLessThanOrEqual(1)
  })

  it('keeps seq in arrival order even when the store is slow and uneven', async () => {
    const server = await harness.start({ store: sluggish(createMemoryStore()) })
    const visitor = await harness.visitor(server)
    const agent = await harness.agent(server, visitor.roomId)
    const seen = record(agent.socket, 'new_message')
    const acks = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: `c${i}`, text: `#${i}` }),
      ),
    )
    const texts = acks.map((ack) => (ack.ok ? ack.message.text : 'failed'))
    const seqs = acks.map((ack) => (ack.ok ? ack.message.seq : -1))
    expect(texts).toEqual(Array.from({ length: 60 }, (_, i) => `#${i}`))
    expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => i + 1))
    await settle(agent.socket)
    expect(seen.map((m) => m.seq)).toEqual(seqs)
  })

  it('rejects when the port is taken', async () => {
    const server = await harness.start()
    await expect(harness.start({ port: server.port })).rejects.toThrow(/EADDRINUSE/)
  })
})
