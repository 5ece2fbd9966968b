/**
 * Files sent with messages, on the real server over real HTTP: upload with the sender's own
 * credentials, then a message that names the file; who may read it; what is accepted (by content,
 * never by name); how it is served; and that it goes when its message or conversation does.
 */
import { describe, expect, it } from 'vitest'
import type { HandshakeAuth } from '../../src/protocol'
import { createMemoryStore, type ChatServer } from '../../src/server'
import { fileId } from '../../src/server/files/file-store'
import { createMemoryFileStore } from '../../src/server/files/memory-file-store'
import { COMPOUND_FILE, DOCX, GIF_1X1, JPEG_1X1, PDF, PLAIN_ZIP, png, WEBP_1X1, XLSX } from '../support/sample-files'
import { AGENT_AUTH, nextEvent, request, useHarness, type Client } from './helpers'

const harness = useHarness()

const authHeader = (auth: Partial<HandshakeAuth>) => Buffer.from(JSON.stringify({ v: 2, ...auth })).toString('base64url')
const visitorAuth = (client: Client): Partial<HandshakeAuth> => ({ role: 'visitor', visitorId: client.session.user.id, token: client.session.visitorToken! })

interface UploadAnswer {
  status: number
  body: { success: boolean; message: string; data?: { attachment: { id: string; name: string; type: string; size: number; width?: number; height?: number } }; error?: string }
}

async function upload(
  server: ChatServer,
  roomId: string,
  clientId: string,
  name: string,
  bytes: Buffer,
  auth: Partial<HandshakeAuth> | undefined,
  headers: Record<string, string> = {},
): Promise<UploadAnswer> {
  const url = `${server.url}/api/files/${encodeURIComponent(roomId)}?clientId=${encodeURIComponent(clientId)}&name=${encodeURIComponent(name)}`
  const res = await fetch(url, {
    method: 'POST',
    body: new Uint8Array(bytes),
    headers: { 'content-type': 'application/octet-stream', ...(auth && { 'x-obrolan-auth': authHeader(auth) }), ...headers },
  })
  return { status: res.status, body: (await res.json()) as UploadAnswer['body'] }
}

async function download(server: ChatServer, roomId: string, id: string, auth: Partial<HandshakeAuth> | undefined, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/api/files/${encodeURIComponent(roomId)}/${id}`, {
    headers: { ...(auth && { 'x-obrolan-auth': authHeader(auth) }), ...headers },
  })
  return { res, bytes: Buffer.from(await res.arrayBuffer()) }
}

describe('attachments', () => {
  it('goes up over HTTP, out as a message that names it, and reads back byte for byte with safe headers', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    const agent = await harness.agent(server, visitor.roomId)
    const { roomId } = visitor
    const photo = png(640, 480, [200, 120, 40], 40)
    const uploaded = await upload(server, roomId, 'photo-1', 'Kopi Toraja.png', photo, visitorAuth(visitor))
    expect(uploaded.status).toBe(200)
    const attachment = uploaded.body.data!.attachment
    expect(attachment).toEqual({ id: fileId(visitor.session.user.id, roomId, 'photo-1'), name: 'Kopi Toraja.png', type: 'image/png', size: photo.length, width: 640, height: 480 })
    expect(visitor.session.uploads).toEqual({ maxBytes: 10 * 1024 * 1024, types: expect.arrayContaining(['image/png', 'application/pdf', 'text/csv']) })

    const heard = nextEvent(agent.socket, 'new_message')
    const sent = await request(visitor.socket, 'send_message', { roomId, clientId: 'photo-1', text: '  ', attachmentId: attachment.id })
    expect(sent).toMatchObject({ ok: true, message: { seq: 1, text: '', attachment } })
    expect((await heard).attachment).toEqual(attachment)

    for (const auth of [visitorAuth(visitor), { role: 'agent', token: 'test-agent-token' } as const]) {
      const { res, bytes } = await download(server, roomId, attachment.id, auth)
      expect(res.status).toBe(200)
      expect(bytes.equals(photo)).toBe(true)
      expect(res.headers.get('content-type')).toBe('image/png')
      expect(res.headers.get('content-length')).toBe(String(photo.length))
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="Kopi Toraja.png"; filename*=UTF-8''Kopi%20Toraja.png`)
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox")
    }
    // The agents' list says what the last message was.
    const listed = await request(agent.socket, 'list_conversations', {})
    expect(listed.ok && listed.conversations[0]?.lastMessage?.attachment).toEqual(attachment)
  })

  it('stores a retried upload once, keeping the first copy', async () => {
    const server = await harness.start({ uploads: { store: createMemoryFileStore() } })
    const visitor = await harness.visitor(server)
    const first = await upload(server, visitor.roomId, 'same', 'a.pdf', PDF, visitorAuth(visitor))
    const again = await upload(server, visitor.roomId, 'same', 'a.pdf', PDF, visitorAuth(visitor))
    const other = await upload(server, visitor.roomId, 'same', 'b.pdf', Buffer.concat([PDF, Buffer.from('% more')]), visitorAuth(visitor))
    expect([first.body.message, again.body.message, other.body.message]).toEqual(['Stored', 'Stored before', 'Stored before'])
    expect(other.body.data?.attachment).toEqual(first.body.data?.attachment)
    const { bytes } = await download(server, visitor.roomId, first.body.data!.attachment.id, visitorAuth(visitor))
    expect(bytes.equals(PDF)).toBe(true)
  })

  it('lets a visitor reach only its own conversation’s files, and nobody without credentials', async () => {
    const server = await harness.start()
    const owner = await harness.visitor(server)
    const stranger = await harness.visitor(server)
    const { roomId } = owner
    const stored = await upload(server, roomId, 'c1', 'nota.pdf', PDF, visitorAuth(owner))
    const id = stored.body.data!.attachment.id
    expect((await download(server, roomId, id, visitorAuth(stranger))).res.status).toBe(403)
    expect((await upload(server, roomId, 'c2', 'x.pdf', PDF, visitorAuth(stranger))).status).toBe(403)
    expect((await download(server, roomId, id, undefined)).res.status).toBe(401)
    const wrongToken = await download(server, roomId, id, { ...visitorAuth(owner), token: 'forged' })
    expect(wrongToken.res.status).toBe(401)
    expect(JSON.parse(wrongToken.bytes.toString())).toMatchObject({ success: false, error: 'unauthorized', message: 'Visitor token does not match the visitor id' })
    expect((await download(server, roomId, id, { role: 'agent', token: 'wrong' })).res.status).toBe(401)
    // A new visitor cannot be made up over HTTP.
    expect((await upload(server, roomId, 'c3', 'x.pdf', PDF, { role: 'visitor' })).status).toBe(401)
    // Agents name a conversation that exists.
    expect((await upload(server, 'no-such-room', 'c4', 'x.pdf', PDF, AGENT_AUTH)).status).toBe(404)
    expect((await download(server, roomId, 'AAAAAAAAAAAAAAAAAAAAAA', AGENT_AUTH)).res.status).toBe(404)
    expect((await download(server, roomId, '..%2F..%2Fetc', AGENT_AUTH)).res.status).toBe(404)
  })

  it('decides the type by the content: every allowed type, and never markup', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    const auth = visitorAuth(visitor)
    const accepted: [string, Buffer, string][] = [
      ['photo.jpg', JPEG_1X1, 'image/jpeg'],
      ['photo.png', png(2, 2), 'image/png'],
      ['anim.gif', GIF_1X1, 'image/gif'],
      ['pic.webp', WEBP_1X1, 'image/webp'],
      ['nota.pdf', PDF, 'application/pdf'],
      ['notes.txt', Buffer.from('Halo, apa kabar?\n'), 'text/plain'],
      ['orders.csv', Buffer.from('item,qty\nkopi,2\n'), 'text/csv'],
      ['letter.doc', COMPOUND_FILE, 'application/msword'],
      ['sheet.xls', COMPOUND_FILE, 'application/vnd.ms-excel'],
      ['letter.docx', DOCX, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['sheet.xlsx', XLSX, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['bundle.zip', PLAIN_ZIP, 'application/zip'],
      // Named as something else: stored as what it is.
      ['really-a-png.pdf', png(3, 1), 'image/png'],
    ]
    for (const [name, bytes, type] of accepted) {
      const answer = await upload(server, visitor.roomId, `ok-${name}`, name, bytes, auth)
      expect(answer.body.data?.attachment.type, name).toBe(type)
    }
    const { name } = (await upload(server, visitor.roomId, 'html-as-text', 'invoice.html', Buffer.from('pay here: http://example.test'), auth)).body.data!.attachment
    expect(name).toBe('invoice.html.txt')
    const refused: [string, Buffer][] = [
      ['page.txt', Buffer.from('<!doctype html><script>alert(1)</script>')],
      ['logo.png', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')],
      ['data.csv', Buffer.from('\ufeff  <?xml version="1.0"?><a/>')],
      ['tool.exe', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)])],
      ['blob.bin', Buffer.from([0, 1, 2, 3, 255, 254])],
      ['old.doc', Buffer.concat([COMPOUND_FILE])],
    ]
    for (const [name, bytes] of refused) {
      const answer = await upload(server, visitor.roomId, `bad-${name}`, name === 'old.doc' ? 'old.ppt' : name, bytes, auth)
      expect(answer.status, name).toBe(415)
      expect(answer.body.error, name).toBe('unsupported_type')
    }
  })

  it('holds to the configured size and types, and says so in the session', async () => {
    const server = await harness.start({ uploads: { maxBytes: 1000, types: ['image/png', 'image/gif'] } })
    const visitor = await harness.visitor(server)
    expect(visitor.session.uploads).toEqual({ maxBytes: 1000, types: ['image/png', 'image/gif'] })
    const auth = visitorAuth(visitor)
    const big = await upload(server, visitor.roomId, 'big', 'big.png', png(200, 200, [1, 2, 3], 200), auth)
    expect(big).toMatchObject({ status: 413, body: { error: 'too_large' } })
    // Without a Content-Length the body is counted as it comes.
    const chunked = await fetch(`${server.url}/api/files/${visitor.roomId}?clientId=chunked&name=big.png`, {
      method: 'POST',
      headers: { 'x-obrolan-auth': authHeader(auth) },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 4; i++) controller.enqueue(new Uint8Array(600))
          controller.close()
        },
      }),
      duplex: 'half',
    } as RequestInit)
    expect(chunked.status).toBe(413)
    expect((await upload(server, visitor.roomId, 'pdf', 'a.pdf', PDF, auth)).status).toBe(415)
    expect((await upload(server, visitor.roomId, 'gif', 'a.gif', GIF_1X1, auth)).status).toBe(200)
    expect((await upload(server, visitor.roomId, 'empty', 'a.png', Buffer.alloc(0), auth)).status).toBe(400)
  })

  it('sends a file only with the message it was uploaded for, and creates the visitor’s conversation', async () => {
    const server = await harness.start()
    const visitor = await harness.connect(server, { v: 2, role: 'visitor' })
    const roomId = visitor.session.roomId!
    const { id } = (await upload(server, roomId, 'first', 'nota.pdf', PDF, visitorAuth(visitor))).body.data!.attachment
    expect(await request(visitor.socket, 'send_message', { roomId, clientId: 'other', text: '', attachmentId: id })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    })
    const notUploaded = fileId(visitor.session.user.id, roomId, 'never')
    expect(await request(visitor.socket, 'send_message', { roomId, clientId: 'never', text: '', attachmentId: notUploaded })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
    expect(await request(visitor.socket, 'send_message', { roomId, clientId: 'no-file', text: ' ' })).toMatchObject({ ok: false, error: { code: 'bad_request' } })
    expect(await server.store.getConversation(roomId)).toBeUndefined()
    const sent = await request(visitor.socket, 'send_message', { roomId, clientId: 'first', text: 'Nota bulan ini', attachmentId: id })
    expect(sent).toMatchObject({ ok: true, message: { seq: 1, text: 'Nota bulan ini', attachment: { id, name: 'nota.pdf' } } })
    expect(await server.store.getConversation(roomId)).toMatchObject({ lastSeq: 1 })
    // The caption can be taken away; the file stays.
    const edited = await request(visitor.socket, 'edit_message', { roomId, id: sent.ok ? sent.message.id : '', text: '' })
    expect(edited).toMatchObject({ ok: true, message: { text: '', attachment: { id } } })
  })

  it('forgets a file when its message is deleted, and a conversation’s files when retention deletes it', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    const auth = visitorAuth(visitor)
    const { id } = (await upload(server, visitor.roomId, 'gone', 'nota.pdf', PDF, auth)).body.data!.attachment
    const sent = await request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: 'gone', text: '', attachmentId: id })
    const deleted = await request(visitor.socket, 'delete_message', { roomId: visitor.roomId, id: sent.ok ? sent.message.id : '' })
    expect(deleted).toMatchObject({ ok: true, message: { deleted: true } })
    expect(deleted.ok && deleted.message).not.toHaveProperty('attachment')
    await expect.poll(async () => (await download(server, visitor.roomId, id, auth)).res.status).toBe(404)

    const store = createMemoryStore()
    const files = createMemoryFileStore()
    const day = 86_400_000
    await store.openVisitorConversation({ id: 'old-visitor', role: 'visitor' }, 'old-room', 0)
    await store.setStatus('old-room', 'closed', Date.now() - 10 * day)
    await store.openVisitorConversation({ id: 'new-visitor', role: 'visitor' }, 'new-room', Date.now())
    const file = { id: fileId('old-visitor', 'old-room', 'c'), name: 'a.pdf', type: 'application/pdf', size: PDF.length, uploadedBy: 'old-visitor', uploadedAt: 0 }
    await files.put({ ...file, roomId: 'old-room' }, PDF)
    await files.put({ ...file, roomId: 'new-room' }, PDF)
    await harness.start({ store, uploads: { store: files }, retentionDays: 1 })
    await expect.poll(() => files.head('old-room', file.id)).toBeUndefined()
    expect(await files.head('new-room', file.id)).toBeDefined()
  })

  it('answers pages of allowed origins (CORS), refuses others, and can be turned off', async () => {
    const server = await harness.start({ allowedOrigins: ['https://toko.example'] })
    const visitor = await harness.visitor(server)
    const preflight = await fetch(`${server.url}/api/files/${visitor.roomId}`, {
      method: 'OPTIONS',
      headers: { origin: 'https://toko.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-obrolan-auth' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://toko.example')
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/x-obrolan-auth/i)
    const fromShop = await upload(server, visitor.roomId, 'c', 'a.pdf', PDF, visitorAuth(visitor), { origin: 'https://toko.example' })
    expect(fromShop.status).toBe(200)
    const fromElsewhere = await upload(server, visitor.roomId, 'd', 'a.pdf', PDF, visitorAuth(visitor), { origin: 'https://evil.example' })
    expect(fromElsewhere.status).toBe(403)

    const off = await harness.start({ uploads: false })
    const offVisitor = await harness.visitor(off)
    expect(offVisitor.session.uploads).toBeUndefined()
    expect((await upload(off, offVisitor.roomId, 'c', 'a.pdf', PDF, visitorAuth(offVisitor))).status).toBe(404)
  })

  it('refuses upload options that make no sense, at start', async () => {
    await expect(harness.start({ uploads: { types: ['image/svg+xml'] } })).rejects.toThrow(/uploads.types must list some of/)
    await expect(harness.start({ uploads: { maxBytes: 0 } })).rejects.toThrow(/uploads.maxBytes must be a positive integer/)
    await expect(harness.start({ uploads: { directory: '/tmp/x', store: createMemoryFileStore() } })).rejects.toThrow(/not both/)
  })
})
