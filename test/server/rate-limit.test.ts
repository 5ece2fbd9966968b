import { describe, expect, it } from 'vitest'
import { request, useHarness } from './helpers'

const harness = useHarness()

describe('rate limits', () => {
  it('refuses requests over the limit with rate_limited and retryAfterMs, storing nothing for them', async () => {
    const server = await harness.start({ rateLimits: { message: { perSecond: 1, burst: 2 } } })
    const visitor = await harness.visitor(server)
    const send = (clientId: string) => request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId, text: clientId })
    expect(await send('a')).toMatchObject({ ok: true })
    expect(await send('b')).toMatchObject({ ok: true })
    const refused = await send('c')
    expect(refused).toMatchObject({ ok: false, error: { code: 'rate_limited' } })
    expect((refused as { error: { retryAfterMs: number } }).error.retryAfterMs).toBeGreaterThan(0)
    const stored = await server.store.getMessages(visitor.roomId, { limit: 10 })
    expect(stored.messages.map((m) => m.clientId)).toEqual(['a', 'b'])
    // Other kinds of request are unaffected.
    expect(await request(visitor.socket, 'get_history', { roomId: visitor.roomId })).toMatchObject({ ok: true })
  })
})

describe('message order under rate limits', () => {
  it('refuses every later message until the refused one is sent again, so order holds', async () => {
    let now = 0
    const server = await harness.start({ rateLimits: { message: { perSecond: 1, burst: 2 } }, now: () => now })
    const visitor = await harness.visitor(server)
    const send = (clientId: string) => request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId, text: clientId })
    expect(await send('a')).toMatchObject({ ok: true })
    expect(await send('b')).toMatchObject({ ok: true })
    expect(await send('c')).toMatchObject({ ok: false, error: { code: 'rate_limited' } })
    // The block is over and tokens are back, but d came after the refused c: refused too (the
    // gate waits up to 10 s for c).
    now = 5_000
    expect(await send('d')).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfterMs: 0 } })
    expect(await send('c')).toMatchObject({ ok: true })
    expect(await send('d')).toMatchObject({ ok: true })
    const stored = await server.store.getMessages(visitor.roomId, { limit: 10 })
    expect(stored.messages.map((m) => m.clientId)).toEqual(['a', 'b', 'c', 'd'])
  })
})
