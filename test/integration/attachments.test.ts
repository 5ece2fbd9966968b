/**
 * Files from the core client's side, against the real server over real HTTP and a real socket:
 * shown at once, uploaded while connected (and only then), sent in order, refused with the
 * server's reason, cancelled, and after a reload without the bytes, failed with a reason.
 */
import { describe, expect, it } from 'vitest'
import { memoryStorage } from '../../src'
import { fileId } from '../../src/server/files/file-store'
import { createMemoryFileStore } from '../../src/server/files/memory-file-store'
import { connected, eventually, startClient, startConversation, startServer, startedRoom, texts } from '../support/harness'
import { asFile, PDF, png } from '../support/sample-files'

const bytesOf = async (blob: Blob) => Buffer.from(await blob.arrayBuffer())

describe('files from the client', () => {
  it('shows a file at once, uploads it, sends it, and both sides read it back', async () => {
    const { visitor, agent, server } = await startConversation()
    const roomId = visitor.conversation.get()!.roomId
    await agent.openConversation(roomId)
    const image = png(320, 200, [10, 200, 90], 50)
    const sent = visitor.sendFile(asFile(image, 'kebun.png', 'image/png'), { text: 'Kebun kopi kami', width: 320, height: 200 })
    expect(sent).toMatchObject({ status: 'pending', text: 'Kebun kopi kami', attachment: { name: 'kebun.png', type: 'image/png', size: image.length, width: 320, height: 200 } })
    expect(sent.attachment?.id).toBeUndefined()
    // The sender's own copy reads from this device before the server has it.
    expect((await bytesOf(await visitor.readFile(sent))).equals(image)).toBe(true)

    await eventually(() => expect(agent.messages.get()).toHaveLength(1))
    const received = agent.messages.get()[0]!
    expect(received).toMatchObject({ text: 'Kebun kopi kami', attachment: { name: 'kebun.png', type: 'image/png', width: 320, height: 200 } })
    expect((await bytesOf(await agent.readFile(received))).equals(image)).toBe(true)
    await eventually(() => expect(visitor.messages.get()[0]).toMatchObject({ status: expect.stringMatching(/sent|delivered|read/), attachment: { id: received.attachment!.id } }))
    const own = visitor.messages.get()[0]!
    expect(own.progress).toBeUndefined()
    expect((await bytesOf(await visitor.readFile(own))).equals(image)).toBe(true)
    expect(visitor.fileUrl(own)).toBe(`${server.url}/api/files/${encodeURIComponent(roomId)}/${own.attachment!.id}`)
  })

  it('waits while the connection is down, then uploads and sends in order, once', async () => {
    const files = createMemoryFileStore()
    const { visitor, agent } = await startConversation({ uploads: { store: files } })
    const roomId = visitor.conversation.get()!.roomId
    await agent.openConversation(roomId)
    visitor.disconnect()
    const file = visitor.sendFile(asFile(PDF, 'nota.pdf', 'application/pdf'))
    visitor.send('the invoice is above')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(visitor.messages.get().map((m) => m.status)).toEqual(['pending', 'pending'])
    // Nothing went up while the connection was down.
    const id = fileId(visitor.user.get()!.id, roomId, file.clientId)
    expect(await files.head(roomId, id)).toBeUndefined()
    visitor.connect()
    await eventually(() => expect(agent.messages.get().map((m) => m.text)).toEqual(['', 'the invoice is above']))
    expect(agent.messages.get()[0]!.attachment).toMatchObject({ name: 'nota.pdf', type: 'application/pdf', size: PDF.length })
    await eventually(() => expect(visitor.messages.get().map((m) => m.seq)).toEqual([1, 2]))
    expect(visitor.messages.get()[0]!.clientId).toBe(file.clientId)
    expect(await files.head(roomId, id)).toMatchObject({ name: 'nota.pdf', size: PDF.length })
  })

  it('refuses at once what the server does not take, and fails with the server’s reason what only the server can tell', async () => {
    const { visitor } = await startConversation({ uploads: { maxBytes: 2000, types: ['image/png', 'text/plain'] } })
    expect(visitor.features.get().uploads).toEqual({ maxBytes: 2000, types: ['image/png', 'text/plain'] })
    expect(() => visitor.sendFile(asFile(new Uint8Array(3000), 'big.png', 'image/png'))).toThrow(expect.objectContaining({ code: 'too_large' }))
    expect(() => visitor.sendFile(asFile(PDF, 'nota.pdf', 'application/pdf'))).toThrow(expect.objectContaining({ code: 'unsupported_type' }))
    expect(visitor.messages.get()).toEqual([])
    // Named like text, but markup: only its content tells.
    const failed: string[] = []
    visitor.on('failed', (message) => failed.push(message.clientId))
    const page = visitor.sendFile(asFile('<html><script>alert(1)</script>', 'notes.txt', 'text/plain'))
    await eventually(() => expect(visitor.messages.get()[0]).toMatchObject({ status: 'failed', error: { code: 'unsupported_type' } }))
    expect(visitor.messages.get()[0]!.error!.message).toMatch(/markup/)
    expect(failed).toEqual([page.clientId])
    visitor.discard(page.clientId)
    expect(visitor.messages.get()).toEqual([])
  })

  it('cancels a file that has not gone up, and nothing of it reaches the server', async () => {
    const files = createMemoryFileStore()
    const { server, visitor } = await startConversation({ uploads: { store: files } })
    visitor.disconnect()
    const message = visitor.sendFile(asFile(PDF, 'nota.pdf', 'application/pdf'))
    visitor.cancel(message.clientId)
    expect(visitor.messages.get()).toEqual([])
    await expect(visitor.readFile(message)).rejects.toMatchObject({ code: 'not_found' })
    visitor.connect()
    await connected(visitor)
    visitor.send('after')
    await eventually(() => expect(visitor.messages.get()[0]?.seq).toBe(1))
    expect((await server.store.getMessages(visitor.conversation.get()!.roomId, { limit: 10 })).messages.map((m) => m.text)).toEqual(['after'])
  })

  it('after a reload without the bytes, shows the file as failed with a reason, and a retry cannot bring it back', async () => {
    const server = await startServer()
    const storage = memoryStorage()
    const first = startClient({ url: server.url, storage })
    await connected(first)
    await startedRoom(server, first)
    first.disconnect()
    const chosen = first.sendFile(asFile(PDF, 'nota.pdf', 'application/pdf'))
    // The page closes; the outbox is in storage, the bytes were only in the page's memory.
    first.destroy()
    const reloaded = startClient({ url: server.url, storage })
    await eventually(() =>
      expect(reloaded.messages.get()).toMatchObject([
        { clientId: chosen.clientId, status: 'failed', attachment: { name: 'nota.pdf' }, error: { code: 'not_found', message: expect.stringMatching(/reloaded; choose it again/) } },
      ]),
    )
    reloaded.retry(chosen.clientId)
    await eventually(() => expect(reloaded.messages.get()[0]).toMatchObject({ status: 'failed' }))
    reloaded.send('text still goes')
    await eventually(() => expect(texts(reloaded)).toEqual(['text still goes', '']))
  })
})
