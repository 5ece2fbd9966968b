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

describe('origin allow-list', () => {
  for (const transport of ['websocket', 'polling'] as const) {
    it(`refuses sockets from other sites by default and allows listed ones (${transport})`, async () => {
      const strict = await harness.start()
      expect(await connectFrom(strict.url, 'https://evil.example', transport)).toBe('refused')
      expect(await connectFrom(strict.url, strict.url, transport)).toBe('connected')

      const listed = await harness.start({ allowedOrigins: ['https://shop.example'] })
      expect(await connectFrom(listed.url, 'https://shop.example', transport)).toBe('connected')
      expect(await connectFrom(listed.url, 'https://shop.example.evil.example', transport)).toBe('refused')

      const open = await harness.start({ allowedOrigins: '*' })
      expect(await connectFrom(open.url, 'https://evil.example', transport)).toBe('connected')
    })
  }
})
