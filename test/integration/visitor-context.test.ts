/**
 * The visitor's context through the core client against the real server: in the handshake, sent
 * at once when it changes while connected, carried by the next handshake when it changed while
 * not, refused in words when the protocol would refuse it.
 */
import { describe, expect, it } from 'vitest'
import type { VisitorContext } from '../../src'
import { connected, eventually, startAgent, startClient, startServer } from '../support/harness'

const landing: VisitorContext = {
  page: { url: 'https://toko.example/kopi', title: 'Kopi', at: 1_700_000_000_000 },
  pages: [{ url: 'https://toko.example/kopi', title: 'Kopi', at: 1_700_000_000_000 }],
  referrer: 'https://search.example/?q=kopi',
  locale: 'id-ID',
  timeZone: 'Asia/Jakarta',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0',
  firstSeenAt: 1_699_000_000_000,
  visits: 3,
}
const page = (path: string, at: number): VisitorContext => ({ ...landing, page: { url: `https://toko.example/${path}`, at } })

describe('the visitor’s context', () => {
  it('goes with the handshake and reaches agents with the first message', async () => {
    const server = await startServer()
    const agent = startAgent({ url: server.url })
    const visitor = startClient({ url: server.url, context: landing })
    await connected(agent, visitor)
    visitor.send('Halo')
    await eventually(() => expect(agent.conversations.get()[0]?.context).toEqual(landing))
  })

  it('is sent at once when it changes while connected, and by the next handshake when it changed while not', async () => {
    const server = await startServer()
    const agent = startAgent({ url: server.url })
    const visitor = startClient({ url: server.url })
    await connected(agent, visitor)
    visitor.send('Halo')
    await eventually(() => expect(agent.conversations.get()).toHaveLength(1))
    expect(agent.conversations.get()[0]!.context).toBeUndefined()

    visitor.setContext(page('keranjang', 2))
    await eventually(() => expect(agent.conversations.get()[0]?.context?.page?.url).toBe('https://toko.example/keranjang'))

    visitor.disconnect()
    visitor.setContext(page('bayar', 3))
    visitor.setContext(page('selesai', 4))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(agent.conversations.get()[0]!.context?.page?.url).toBe('https://toko.example/keranjang')
    visitor.connect()
    await eventually(() => expect(agent.conversations.get()[0]?.context?.page?.url).toBe('https://toko.example/selesai'))
  })

  it('is refused in words before anything is sent, and only visitors report one', async () => {
    const server = await startServer()
    const visitor = startClient({ url: server.url })
    const agent = startAgent({ url: server.url })
    expect(() => visitor.setContext({ page: { url: 'x'.repeat(1025), at: 1 } })).toThrow(/Visitor context refused: page\.url/)
    expect(() => visitor.setContext({ visits: 0 })).toThrow(/visits/)
    expect(() => startClient({ url: server.url, context: { locale: 7 as never } })).toThrow(/locale/)
    expect(() => agent.setContext(landing)).toThrow(/Only visitors/)
  })
})
