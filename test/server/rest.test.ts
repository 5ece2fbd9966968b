import { createServer } from 'node:http'
import type { Server } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { createChatServer } from '../../src/server'
import { VISITOR_AUTH, useHarness } from './helpers'

const harness = useHarness()

interface Body {
  success: boolean
  message: string
  data?: Record<string, unknown>
  error?: string
}

async function get(url: string, init?: RequestInit): Promise<{ status: number; body: Body | undefined; headers: Headers }> {
  const res = await fetch(url, init)
  const text = await res.text()
  return { status: res.status, body: text ? (JSON.parse(text) as Body) : undefined, headers: res.headers }
}

describe('REST routes', () => {
  it('answers /health with uptime and the number of sockets', async () => {
    let t = 5000
    const server = await harness.start({ now: () => t })
    await harness.connect(server, VISITOR_AUTH)
    t = 5250
    const { status, body, headers } = await get(`${server.url}/health`)
    expect(status).toBe(200)
    expect(headers.get('content-type')).toMatch(/application\/json/)
    expect(body).toEqual({ success: true, message: 'ok', data: { uptimeMs: 250, connections: 1 } })
  })

  it('serves a room’s presence, 400 for a malformed id and 404 for an unknown one', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    const ok = await get(`${server.url}/api/session/${visitor.roomId}/connection-status`)
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({
      success: true,
      message: 'Connection status retrieved successfully',
      data: { customerConnected: true, agentConnected: false, totalCustomer: 1, totalAgent: 0 },
    })

    const bad = await get(`${server.url}/api/session/${'x'.repeat(129)}/connection-status`)
    expect(bad.status).toBe(400)
    expect(bad.body).toMatchObject({ success: false, message: 'Invalid session ID', error: expect.any(String) })
    expect((await get(`${server.url}/api/session/a%20b/connection-status`)).status).toBe(400)
    expect((await get(`${server.url}/api/session//connection-status`)).status).toBe(400)

    const missing = await get(`${server.url}/api/session/no-such-room/connection-status`)
    expect(missing.status).toBe(404)
    expect(missing.body).toMatchObject({ success: false, error: expect.any(String) })

    const other = await get(`${server.url}/api/elsewhere`)
    expect(other.status).toBe(404)
    expect(other.body?.success).toBe(false)
    expect((await get(`${server.url}/health`, { method: 'POST' })).status).toBe(405)
  })

  it('sends CORS headers only to allowed origins', async () => {
    const strict = await harness.start()
    const foreign = await get(`${strict.url}/health`, { headers: { origin: 'https://shop.example' } })
    expect(foreign.status).toBe(200)
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull()
    const sameOrigin = await get(`${strict.url}/health`, { headers: { origin: strict.url } })
    expect(sameOrigin.headers.get('access-control-allow-origin')).toBe(strict.url)

    const listed = await harness.start({ allowedOrigins: ['https://a.example'] })
    const allowed = await get(`${listed.url}/health`, { headers: { origin: 'https://a.example' } })
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://a.example')
    const refused = await get(`${listed.url}/health`, { headers: { origin: 'https://evil.example' } })
    expect(refused.headers.get('access-control-allow-origin')).toBeNull()

    const preflight = await get(`${listed.url}/health`, { method: 'OPTIONS', headers: { origin: 'https://a.example' } })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/GET/)

    const open = await harness.start({ allowedOrigins: '*' })
    const any = await get(`${open.url}/health`, { headers: { origin: 'https://anyone.example' } })
    expect(any.headers.get('access-control-allow-origin')).toBe('*')
  })

  it('refuses a malformed allowedOrigins entry with a clear error', async () => {
    await expect(harness.start({ allowedOrigins: ['https://a.example/path'] })).rejects.toThrow(/not an origin/)
    await expect(harness.start({ allowedOrigins: 'everyone' as never })).rejects.toThrow(/allowedOrigins/)
  })
})

describe('attached to an existing http server', () => {
  let host: Server | undefined
  afterEach(async () => {
    await new Promise<void>((resolve) => (host ? host.close(() => resolve()) : resolve()))
    host = undefined
  })

  it('answers only its own routes, leaves the rest to the host and detaches on close', async () => {
    const seen: string[] = []
    host = createServer((req, res) => {
      seen.push(req.url ?? '')
      res.end(`host:${req.url}`)
    })
    await new Promise<void>((resolve) => host?.listen(0, '127.0.0.1', resolve))
    const chat = await createChatServer({ httpServer: host })
    const url = chat.url
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)

    expect((await get(`${url}/health`)).body?.success).toBe(true)
    expect(await (await fetch(`${url}/elsewhere`)).text()).toBe('host:/elsewhere')
    expect(await (await fetch(`${url}/api/theirs`)).text()).toBe('host:/api/theirs')
    const client = await harness.connect(chat, VISITOR_AUTH)
    expect(client.session.roomId).toBeTruthy()
    expect(seen).toEqual(['/elsewhere', '/api/theirs'])

    const gone = new Promise<void>((resolve) => client.socket.on('disconnect', () => resolve()))
    await chat.close()
    await gone
    expect(host.listening).toBe(true)
    expect(await (await fetch(`${url}/health`)).text()).toBe('host:/health')
    const polled = await fetch(`${url}/socket.io/?EIO=4&transport=polling`)
    expect(await polled.text()).toBe('host:/socket.io/?EIO=4&transport=polling')
  })
})
