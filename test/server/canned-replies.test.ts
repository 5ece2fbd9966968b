import { describe, expect, it } from 'vitest'
import type { ChatServer } from '../../src/server'
import { useHarness } from './helpers'

const harness = useHarness()

async function signedIn(server: ChatServer) {
  const token = new URL(server.setupUrl!).hash.slice('#token='.length)
  const setup = await fetch(`${server.url}/api/auth/setup`, {
    method: 'POST',
    headers: { origin: server.url, 'content-type': 'application/json' },
    body: JSON.stringify({ token, name: 'Dewi', email: 'dewi@toko.example', password: 'a very good password' }),
  })
  const cookie = (setup.headers.get('set-cookie') ?? '').split(';')[0]!
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { origin: server.url, cookie, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    })
    return { status: res.status, body: (await res.json()) as { message: string; data?: Record<string, unknown> } }
  }
}

describe('canned replies', () => {
  it('are saved, replaced by name, listed and deleted by signed-in agents', async () => {
    const server = await harness.start({ accounts: true })
    const call = await signedIn(server)
    const saved = await call('POST', '/api/canned-replies', { name: 'Thanks', text: 'Terima kasih!\nSalam, tim Toko' })
    expect(saved.status).toBe(200)
    expect(saved.body.data?.reply).toMatchObject({ name: 'thanks', text: 'Terima kasih!\nSalam, tim Toko' })
    await call('POST', '/api/canned-replies', { name: 'thanks', text: 'Terima kasih banyak!' })
    const list = await call('GET', '/api/canned-replies')
    expect(list.body.data?.replies).toEqual([expect.objectContaining({ name: 'thanks', text: 'Terima kasih banyak!' })])
    const id = (list.body.data?.replies as { id: string }[])[0]!.id
    expect((await call('DELETE', `/api/canned-replies/${id}`)).status).toBe(200)
    expect((await call('DELETE', `/api/canned-replies/${id}`)).status).toBe(404)
  })

  it('refuses bad names and empty or long text in words, and anyone not signed in', async () => {
    const server = await harness.start({ accounts: true, maxTextLength: 50 })
    const call = await signedIn(server)
    expect(await call('POST', '/api/canned-replies', { name: 'no spaces', text: 'x' })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^name must be/) } })
    expect(await call('POST', '/api/canned-replies', { name: 'empty', text: '\u200B ' })).toMatchObject({ status: 400, body: { message: 'text is empty' } })
    expect((await call('POST', '/api/canned-replies', { name: 'long', text: 'x'.repeat(51) })).status).toBe(400)
    const anonymous = await fetch(`${server.url}/api/canned-replies`, { headers: { origin: server.url } })
    expect(anonymous.status).toBe(401)
  })
})
