/**
 * What a site tells its visitors: agents online, business hours, the away e-mail setting, the
 * pre-chat form; what a visitor tells the site (`update_contact`); and the agents' inbox receiving
 * a visitor's message as a delivery.
 */
import { describe, expect, it } from 'vitest'
import { check, schemas } from '../../src/protocol'
import { createChatServer } from '../../src/server'
import { AGENT_AUTH, nextEvent, record, request, settle, sleep, useHarness, VISITOR_AUTH } from './helpers'

const harness = useHarness()

const FORM = { name: 'required', email: 'optional', fields: [{ id: 'order', label: 'Order number' }, { id: 'topic', label: 'Topic', required: true, options: ['Shipping', 'Returns'] }] } as const

describe('the site in a visitor’s session', () => {
  it('says whether agents are online, and tells every visitor when the first comes and the last goes', async () => {
    const server = await harness.start({ preChatForm: FORM, replyMinutes: 5 })
    const visitor = await harness.connect(server, VISITOR_AUTH)
    expect(check(schemas.broadcasts.session, visitor.session).ok).toBe(true)
    expect(visitor.session.site).toEqual({
      availability: { agentsOnline: false, withinHours: true },
      awayEmail: 'optional',
      replyMinutes: 5,
      preChatForm: { name: 'required', email: 'optional', fields: [{ id: 'order', label: 'Order number', required: false }, { id: 'topic', label: 'Topic', required: true, options: ['Shipping', 'Returns'] }] },
    })
    const updates = record(visitor.socket, 'availability_update')
    const first = await harness.connect(server, AGENT_AUTH)
    expect(first.session.site).toBeUndefined()
    await expect.poll(() => updates).toEqual([{ agentsOnline: true, withinHours: true }])
    // A second agent, and a second tab of the first, change nothing a visitor would see.
    const second = await harness.connect(server, { ...AGENT_AUTH })
    await settle(first.socket)
    const late = await harness.connect(server, VISITOR_AUTH)
    expect(late.session.site?.availability.agentsOnline).toBe(true)
    first.socket.disconnect()
    await sleep(50)
    expect(updates).toHaveLength(1)
    const atLate = nextEvent(late.socket, 'availability_update')
    second.socket.disconnect()
    await expect.poll(() => updates).toEqual([{ agentsOnline: true, withinHours: true }, { agentsOnline: false, withinHours: true }])
    expect(await atLate).toEqual({ agentsOnline: false, withinHours: true })
  })

  it('says when business hours begin again, and tells visitors when they end', async () => {
    // The server's clock reads Monday 11:59:59.7 UTC, 300 ms before its hours end.
    const shift = Date.parse('2026-03-02T11:59:59.700Z') - Date.now()
    const server = await harness.start({ now: () => Date.now() + shift, businessHours: { timeZone: 'UTC', days: { mon: '09:00-12:00', tue: '09:00-12:00' } } })
    const visitor = await harness.connect(server, VISITOR_AUTH)
    expect(visitor.session.site?.availability).toEqual({ agentsOnline: false, withinHours: true })
    const closed = await nextEvent(visitor.socket, 'availability_update', () => true, 3000)
    expect(closed).toEqual({ agentsOnline: false, withinHours: false, opensAt: Date.parse('2026-03-03T09:00:00Z') })
    const later = await harness.connect(server, VISITOR_AUTH)
    expect(later.session.site?.availability).toEqual(closed)
  })

  it('refuses settings it cannot follow, naming them', async () => {
    const start = (options: Parameters<typeof createChatServer>[0]) => createChatServer({ port: 0, host: '127.0.0.1', ...options })
    await expect(start({ awayEmail: 'sometimes' as never })).rejects.toThrow(/awayEmail must be 'off', 'optional' or 'required'/)
    await expect(start({ businessHours: { timeZone: 'Nowhere/City', days: {} } })).rejects.toThrow(/businessHours.timeZone/)
    await expect(start({ preChatForm: { fields: [{ id: 'email', label: 'E-mail' }] } })).rejects.toThrow(/preChatForm.fields\[0\].id/)
    await expect(start({ preChatForm: { fields: [{ id: 'size', label: 'Size', options: [] }] } })).rejects.toThrow(/options: 1–20 choices/)
    await expect(start({ preChatForm: {} })).rejects.toThrow(/asks for nothing/)
    await expect(start({ replyMinutes: -1 })).rejects.toThrow(/replyMinutes/)
  })
})

describe('what a visitor tells the team', () => {
  it('checks it, merges it, keeps it until the first message and shows it to agents', async () => {
    const server = await harness.start({ preChatForm: FORM })
    const visitor = await harness.connect(server, VISITOR_AUTH)
    const roomId = visitor.session.roomId!
    const refused = async (contact: object, reason: RegExp) => {
      const ack = await request(visitor.socket, 'update_contact', { roomId, contact })
      expect(ack).toMatchObject({ ok: false, error: { code: 'bad_request' } })
      expect(!ack.ok && ack.error.message).toMatch(reason)
    }
    await refused({ email: 'ani at toko' }, /email: "ani at toko" is not an e-mail address/)
    await refused({ fields: { colour: 'red' } }, /fields.colour: this site's form has no such field/)
    await refused({ fields: { topic: 'Billing' } }, /"Billing" is not one of its choices/)
    await refused({ name: '\u202E' }, /name/)
    expect(await request(visitor.socket, 'update_contact', { roomId, contact: { name: '  Ani  ', fields: { topic: 'Returns', order: ' A-17 ' } } })).toEqual({
      ok: true,
      contact: { name: 'Ani', fields: { topic: 'Returns', order: 'A-17' } },
    })
    expect(await request(visitor.socket, 'update_contact', { roomId, contact: { email: 'ani@toko.example', fields: { order: '' } } })).toEqual({
      ok: true,
      contact: { name: 'Ani', fields: { topic: 'Returns' }, email: 'ani@toko.example' },
    })
    // Nothing stored before the first message; the first message stores it.
    expect(await server.store.getConversation(roomId)).toBeUndefined()
    await request(visitor.socket, 'send_message', { roomId, clientId: 'c1', text: 'Halo' })
    expect((await server.store.getConversation(roomId))?.contact).toEqual({ name: 'Ani', fields: { topic: 'Returns' }, email: 'ani@toko.example' })

    const agent = await harness.connect(server, AGENT_AUTH)
    const list = await request(agent.socket, 'list_conversations', {})
    expect(list.ok && list.conversations[0]?.contact).toEqual({ name: 'Ani', fields: { topic: 'Returns' }, email: 'ani@toko.example' })
    const told = nextEvent(agent.socket, 'conversation_updated', (c) => c.contact?.email === 'ani@baru.example')
    await request(visitor.socket, 'update_contact', { roomId, contact: { email: 'ani@baru.example' } })
    expect((await told).contact).toEqual({ name: 'Ani', fields: { topic: 'Returns' }, email: 'ani@baru.example' })
    expect(await request(agent.socket, 'update_contact', { roomId, contact: { name: 'Budi' } })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })

  it('takes what the browser kept from the handshake, dropping what the site no longer asks', async () => {
    const server = await harness.start({ preChatForm: FORM })
    const visitor = await harness.connect(server, { ...VISITOR_AUTH, contact: { name: 'Ani', email: 'ani@toko.example', fields: { topic: 'Returns', gone: 'old field' } } })
    const roomId = visitor.session.roomId!
    await request(visitor.socket, 'send_message', { roomId, clientId: 'c1', text: 'Halo' })
    expect((await server.store.getConversation(roomId))?.contact).toEqual({ name: 'Ani', email: 'ani@toko.example', fields: { topic: 'Returns' } })
  })
})

describe('delivery to the agents’ inbox', () => {
  it('marks a visitor’s message delivered when an online agent’s inbox receives it, and not while none is online', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    const roomId = visitor.roomId
    const updates = record(visitor.socket, 'message_status_update')
    await request(visitor.socket, 'send_message', { roomId, clientId: 'alone', text: 'Anyone?' })
    await sleep(50)
    expect(updates).toEqual([])
    expect((await server.store.getConversation(roomId))?.watermarks.agent.delivered).toBe(0)

    // An agent signs in: its list page is the inbox receiving the message.
    const agent = await harness.connect(server, AGENT_AUTH)
    await request(agent.socket, 'list_conversations', {})
    await expect.poll(() => updates.map((u) => u.watermarks.agent)).toEqual([{ delivered: 1, read: 0 }])

    // With the agent online (but not in the conversation), the next message is delivered at once.
    await request(visitor.socket, 'send_message', { roomId, clientId: 'second', text: 'Halo?' })
    await expect.poll(() => updates.map((u) => u.watermarks.agent.delivered)).toEqual([1, 2])
  })
})
