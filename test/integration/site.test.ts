/**
 * The client's side of the site: availability and the form from `session`, kept current by
 * `availability_update`; the visitor's contact sent at once when connected, with the next
 * connection when not, and kept across a reload.
 */
import { describe, expect, it } from 'vitest'
import { ChatError, memoryStorage } from '../../src'
import { manualEnvironment } from '../../src/core/util/environment'
import { connected, eventually, startAgent, startClient, startServer } from '../support/harness'

describe('the site and the visitor’s contact', () => {
  it('follows agents coming and going', async () => {
    const server = await startServer({ awayEmail: 'required', preChatForm: { name: 'optional' } })
    const visitor = startClient({ url: server.url })
    await connected(visitor)
    expect(visitor.site.get()).toEqual({ availability: { agentsOnline: false, withinHours: true }, awayEmail: 'required', preChatForm: { name: 'optional', fields: [] } })
    const agent = startAgent({ url: server.url })
    await eventually(() => expect(visitor.site.get()?.availability.agentsOnline).toBe(true))
    agent.destroy()
    await eventually(() => expect(visitor.site.get()?.availability.agentsOnline).toBe(false))
  })

  it('sends the contact at once when connected, and with the next connection when not; a reload keeps it', async () => {
    const server = await startServer()
    const storage = memoryStorage()
    const network = manualEnvironment()
    const visitor = startClient({ url: server.url, storage, environment: network })
    await connected(visitor)
    await expect(visitor.setContact({ email: 'not an address' })).rejects.toMatchObject({ code: 'bad_request' })
    expect(await visitor.setContact({ name: 'Ani' })).toEqual({ name: 'Ani' })
    network.setOnline(false)
    expect(await visitor.setContact({ email: 'ani@toko.example' })).toEqual({ name: 'Ani', email: 'ani@toko.example' })
    visitor.send('Halo')
    network.setOnline(true)
    await eventually(() => expect(visitor.messages.get()[0]?.status).toBe('sent'))
    const roomId = visitor.conversation.get()!.roomId
    await eventually(async () => expect((await server.store.getConversation(roomId))?.contact).toEqual({ name: 'Ani', email: 'ani@toko.example' }))
    // Another page load on the same storage knows what this visitor told.
    visitor.destroy()
    const reloaded = startClient({ url: server.url, storage })
    expect(reloaded.contact.get()).toEqual({ name: 'Ani', email: 'ani@toko.example' })
    await connected(reloaded)
    expect(reloaded.contact.get()).toEqual({ name: 'Ani', email: 'ani@toko.example' })
    await expect(startAgent({ url: server.url }).setContact({ name: 'x' })).rejects.toBeInstanceOf(ChatError)
  })
})
