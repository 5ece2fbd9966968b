import { request as httpRequest } from 'node:http'
import { io } from 'socket.io-client'
import { afterEach, describe, expect, it } from 'vitest'
import { useHarness, VISITOR_AUTH } from './helpers'

const harness = useHarness()
const opened: ReturnType<typeof io>[] = []
afterEach(() => opened.splice(0).forEach((socket) => socket.disconnect()))

/** Connects as a browser on `origin` would (browsers always send Origin on these requests). */
function connectFrom(url: string, origin: string, transport: 'websocket' | 'polling'): Promise<'connected' | 'refused'> {
  const socket = io(url, {
    auth: VISITOR_AUTH as never,
    transports: [transport],
    forceNew: true,
    reconnection: false,
    extraHeaders: { origin },
  })
  opened.push(socket)
  return new Promise((resolve) => {
    socket.once('session', () => resolve('connected'))
    socket.once('connect_error', () => resolve('refused'))
  })
}

/** Opens a long-polling transport with exactly these headers; resolves with the status code. */
function handshakeStatus(port: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/socket.io/?EIO=4&transport=polling', headers }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end()
  })
}

describe('origin allow-list', () => {
  for (const transport of ['websocket', 'polling'] as const) {
    it(`refuses sockets from other sites by default and allows listed ones (${transport})`, async () => {
      const strict = await harness.start()
      expect(await connectFrom(strict.url, 'https://evil.example', transport)).toBe('refused')
      expect(await connectFrom(strict.url, strict.url, transport)).toBe('connected')
      expect(await connectFrom(strict.url, `http://localhost:${strict.port}`, transport)).toBe('connected')

      const listed = await harness.start({ allowedOrigins: ['https://shop.example'] })
      expect(await connectFrom(listed.url, 'https://shop.example', transport)).toBe('connected')
      expect(await connectFrom(listed.url, 'https://shop.example.evil.example', transport)).toBe('refused')

      const open = await harness.start({ allowedOrigins: '*' })
      expect(await connectFrom(open.url, 'https://evil.example', transport)).toBe('connected')
    })
  }

  it('compares whole origins (scheme, host, port) and resists the usual tricks', async () => {
    const server = await harness.start({ publicUrl: 'https://chat.example.com', allowedOrigins: ['https://shop.example.com', 'https://bücher.example'] })
    const port = server.port
    const allowed = [
      'https://chat.example.com', // the server's own public origin
      'https://shop.example.com',
      'https://xn--bcher-kva.example', // an IDN as browsers send it (punycode)
    ]
    const refused = [
      'null', // sandboxed frames, file: pages, some redirects
      'HTTPS://SHOP.EXAMPLE.COM', // browsers never send upper case: not a browser
      'https://Shop.example.com',
      'https://shop.example.com:443', // a default port spelled out: not a browser either
      'https://shop.example.com:8443',
      'http://shop.example.com', // another scheme
      'wss://shop.example.com',
      'https://shop.example.com.', // trailing dot: another origin to a browser
      'https://user@shop.example.com', // userinfo
      'https://shop.example.com@evil.example',
      'https://shop.example.com.evil.example', // a suffix
      'https://evilshop.example.com', // a prefix
      'https://shop.example.co',
      'https://bücher.example', // the unicode spelling is never sent by a browser
      'https://shop.example.com/',
      'https://shop.example.com/path',
      'http://chat.example.com', // the server's own host over another scheme
      `http://127.0.0.1:${port}`, // with a public URL, loopback is not the server's origin
      'https://shop%2eexample.com', // an encoded dot
      '',
      'file://',
      'chrome-extension://abcdefghijklmnop',
    ]
    for (const origin of allowed) expect(await handshakeStatus(port, { origin }), origin).toBe(200)
    for (const origin of refused) expect(await handshakeStatus(port, { origin }), JSON.stringify(origin)).toBe(403)
    // DNS rebinding: a page on evil.example, whose name now resolves to this server, sends a Host
    // that matches its Origin. The Host header must not make an origin the server's own.
    expect(await handshakeStatus(port, { origin: `http://evil.example:${port}`, host: `evil.example:${port}` })).toBe(403)
    // Non-browser clients send no Origin and are let through (they authenticate like everyone).
    expect(await handshakeStatus(port, {})).toBe(200)
    expect(allowed.length + refused.length + 2).toBe(27)
  })

  it('refuses a rebinding page over WebSocket too, where CORS does not apply', async () => {
    const server = await harness.start()
    const socket = io(server.url, {
      auth: VISITOR_AUTH as never,
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders: { origin: `http://evil.example:${server.port}`, host: `evil.example:${server.port}` },
    })
    opened.push(socket)
    const outcome = await new Promise((resolve) => {
      socket.once('session', () => resolve('connected'))
      socket.once('connect_error', () => resolve('refused'))
    })
    expect(outcome).toBe('refused')
  })

  it('refuses a configured origin that is not an origin, naming it', async () => {
    await expect(harness.start({ allowedOrigins: ['https://shop.example.com/path'] })).rejects.toThrow(/shop\.example\.com\/path/)
    await expect(harness.start({ allowedOrigins: ['https://user@shop.example.com'] })).rejects.toThrow(/not an origin/)
    await expect(harness.start({ publicUrl: 'chat.example.com' })).rejects.toThrow(/publicUrl/)
  })
})
