import { createConnection } from 'node:net'
import { describe, expect, it } from 'vitest'
import { io } from 'socket.io-client'
import { useHarness, VISITOR_AUTH } from './helpers'

const harness = useHarness()

/** Resolves with how long the server kept a TCP connection that sends `bytes` and then nothing. */
function heldFor(port: number, bytes: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write(bytes))
    socket.resume() // read what comes (a 408), so that the end of the stream is seen
    socket.on('close', () => resolve(Date.now() - started))
    socket.on('error', () => undefined)
    setTimeout(() => reject(new Error('still open after 20 s')), 20_000).unref()
  })
}

/** Resolves with how long a transport that never completes the chat handshake is kept. */
function handshakeNeverSent(url: string): Promise<number> {
  // A socket.io manager without a namespace connect: engine.io is open, the handshake never comes.
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, autoConnect: false, auth: VISITOR_AUTH as never })
  socket.io.open()
  const started = Date.now()
  return new Promise<number>((resolve) => socket.io.engine.on('close', () => resolve(Date.now() - started)))
}

describe('idle connections', () => {
  // Both deadlines are waited out side by side: about 12 s of the suite, not 22.
  it('drops a TCP connection that never completes its request, and a transport that never completes the handshake', { timeout: 25_000 }, async () => {
    const server = await harness.start()
    const [silent, partial, noHandshake] = await Promise.all([
      heldFor(server.port, ''),
      heldFor(server.port, 'GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n'),
      handshakeNeverSent(server.url),
    ])
    // headersTimeout 10 s, checked every 2 s (Node's defaults held such a connection up to 90 s).
    for (const ms of [silent, partial]) {
      expect(ms).toBeGreaterThanOrEqual(9_000)
      expect(ms).toBeLessThan(13_500)
    }
    // socket.io's connectTimeout, 10 s (its default is 45 s).
    expect(noHandshake).toBeGreaterThanOrEqual(9_000)
    expect(noHandshake).toBeLessThan(12_000)
  })
})
