/**
 * The WhatsApp channel end to end, against a fake Cloud API started here (no test reaches the
 * internet), on SQLite and on PostgreSQL: Meta's webhook in (verified, signed, delivered twice),
 * one conversation per wa_id in the same inbox, agents' replies out through the messages
 * endpoint, retried, refused with the API's reason, and statuses back as ticks.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { Conversation, WireMessage } from '../../src/protocol'
import { check, schemas } from '../../src/protocol'
import { createChatServer } from '../../src/server'
import { customerMessage, metaWebhook, startFakeCloudApi, statusUpdate, type FakeCloudApi } from '../support/fake-cloud-api'
import { usePostgresServer } from '../support/postgres-server'
import { until } from '../support/until'
import { nextEvent, record, request, settle, useHarness } from './helpers'
import { api, apiKey, ownerOf } from './owner-browser'

const folder = mkdtempSync(join(tmpdir(), 'obrolan-wa-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))
const harness = useHarness()
const postgres = usePostgresServer()
const fakes: FakeCloudApi[] = []
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()))
})

const PHONE = 'phone_id'
const SECRET = 'meta-app-secret'
let files = 0

const engines: [string, () => Promise<string>][] = [
  ['SQLite', async () => `sqlite:${join(folder, `wa${++files}.db`)}`],
  ['PostgreSQL', () => postgres.server.createDatabase()],
]

async function setup(database: string) {
  const cloud = await startFakeCloudApi()
  fakes.push(cloud)
  const whatsapp = { phoneNumberId: PHONE, accessToken: 'EAAG-test-token', appSecret: SECRET, verifyToken: 'verify-me', apiUrl: cloud.apiUrl }
  const server = await harness.start({ database, accounts: true, whatsapp, deliveries: { firstRetryMs: 40, maxRetryMs: 200, pollMs: 30, timeoutMs: 2000 } })
  const agent = await harness.agent(server)
  return { server, cloud, agent, whatsapp }
}

describe.each(engines)('WhatsApp on %s', (_engine, databaseUrl) => {
  it('takes customers into the inbox, sends replies out and brings statuses back as ticks', async () => {
    const { server, cloud, agent } = await setup(await databaseUrl())
    // Meta's webhook in: the field notes' body; the conversation appears in the agents' list.
    const listed = nextEvent(agent.socket, 'conversation_updated')
    const body = customerMessage(PHONE, '628123456789', 'Test Customer', 'wamid.test123', 'Hello from customer!')
    expect((await metaWebhook(server.url, SECRET, body)).status).toBe(200)
    const conversation: Conversation = await listed
    expect(check(schemas.conversation, conversation).ok).toBe(true)
    expect(conversation).toMatchObject({ channel: 'whatsapp', visitor: { id: 'whatsapp:628123456789', role: 'visitor', name: 'Test Customer' }, lastSeq: 1, status: 'open' })
    const roomId = conversation.roomId
    // Delivered twice (Meta retries): one message.
    expect((await metaWebhook(server.url, SECRET, body)).status).toBe(200)
    expect((await server.store.getConversation(roomId))?.lastSeq).toBe(1)
    const [first] = (await server.store.getMessages(roomId, { limit: 10 })).messages
    expect(first).toMatchObject({ clientId: 'whatsapp:wamid.test123', text: 'Hello from customer!', author: { id: 'whatsapp:628123456789' } })
    // Same wa_id again: the same conversation.
    await metaWebhook(server.url, SECRET, customerMessage(PHONE, '628123456789', 'Test Customer', 'wamid.test124', 'Masih di sana?'))
    expect((await server.store.listConversations({ limit: 10 })).map((c) => c.roomId)).toEqual([roomId])

    // A reply out, through the Cloud API's messages endpoint.
    await request(agent.socket, 'join_room', { roomId })
    const sentMark = nextEvent(agent.socket, 'message_edited', (m) => m.delivery?.status === 'sent')
    const reply = await request(agent.socket, 'send_message', { roomId, clientId: 'r1', text: 'Halo! Ada yang bisa dibantu?' })
    expect(reply.ok).toBe(true)
    const sent = await sentMark
    expect(sent).toMatchObject({ text: 'Halo! Ada yang bisa dibantu?', delivery: { channel: 'whatsapp', status: 'sent' } })
    expect(cloud.sent).toEqual([
      {
        phoneNumberId: PHONE,
        authorization: 'Bearer EAAG-test-token',
        body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: '628123456789', type: 'text', text: { preview_url: false, body: 'Halo! Ada yang bisa dibantu?' } },
        wamid: 'wamid.out1',
      },
    ])

    // Statuses back: delivered and read become the visitor's watermarks, the inbox's ticks.
    const delivered = nextEvent(agent.socket, 'message_status_update', (u) => u.watermarks.visitor.delivered === sent.seq)
    await metaWebhook(server.url, SECRET, statusUpdate(PHONE, '628123456789', 'wamid.out1', 'delivered'))
    await delivered
    const read = nextEvent(agent.socket, 'message_status_update', (u) => u.watermarks.visitor.read === sent.seq)
    await metaWebhook(server.url, SECRET, statusUpdate(PHONE, '628123456789', 'wamid.out1', 'read'))
    await read
    // A late "sent" changes nothing.
    const edits = record(agent.socket, 'message_edited')
    await metaWebhook(server.url, SECRET, statusUpdate(PHONE, '628123456789', 'wamid.out1', 'sent'))
    await settle(agent.socket)
    expect(edits).toEqual([])

    // A REST post as a bot takes the same path out.
    const owner = await ownerOf(server)
    const posted = await api(server, await apiKey(owner))<{ message: WireMessage }>('POST', `/conversations/${roomId}/messages`, { text: 'Pesanan #7 dikirim', bot: 'Order bot' })
    expect(posted.status).toBe(201)
    await until(() => cloud.sent.length === 2)
    expect(cloud.sent[1]!.body.text.body).toBe('Pesanan #7 dikirim')

    // What went out cannot be changed on the customer's phone, so it is not changed here either.
    expect(await request(agent.socket, 'edit_message', { roomId, id: sent.id, text: 'changed' })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })
})

describe('WhatsApp replies that do not go through', () => {
  it('are shown failed with the API’s reason when refused, and retried while the API is down', async () => {
    const { server, cloud, agent } = await setup(await engines[0]![1]())
    await metaWebhook(server.url, SECRET, customerMessage(PHONE, '6281111', 'Budi', 'wamid.b1', 'Halo'))
    const [conversation] = await server.store.listConversations({ limit: 1 })
    const roomId = conversation!.roomId
    await request(agent.socket, 'join_room', { roomId })

    // Outside the 24-hour window: refused at once, with the API's words.
    cloud.mode = 'refuse'
    const failed = nextEvent(agent.socket, 'message_edited', (m) => m.delivery?.status === 'failed')
    await request(agent.socket, 'send_message', { roomId, clientId: 'late', text: 'Maaf terlambat' })
    const failedMessage = await failed
    expect(failedMessage.delivery).toEqual({
      channel: 'whatsapp',
      status: 'failed',
      error: '(#131047) Re-engagement message: Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
    })
    expect(cloud.attempts).toBe(1)

    // Down twice, then up: the reply goes out on the third attempt.
    cloud.attempts = 0
    cloud.decide = (attempt) => (attempt <= 2 ? 'down' : 'ok')
    const sent = nextEvent(agent.socket, 'message_edited', (m) => m.delivery?.status === 'sent', 5000)
    await request(agent.socket, 'send_message', { roomId, clientId: 'again', text: 'Ini balasan saya' })
    expect((await sent).text).toBe('Ini balasan saya')
    expect(cloud.attempts).toBe(3)

    // A failure WhatsApp reports later, as a status.
    const later = nextEvent(agent.socket, 'message_edited', (m) => m.delivery?.status === 'failed' && m.text === 'Ini balasan saya')
    await metaWebhook(server.url, SECRET, statusUpdate(PHONE, '6281111', cloud.sent.at(-1)!.wamid!, 'failed', [{ code: 131026, title: 'Message undeliverable', error_data: { details: 'The number is not on WhatsApp' } }]))
    expect((await later).delivery?.error).toBe('Message undeliverable (131026): The number is not on WhatsApp')
  })
})

describe('the WhatsApp webhook', () => {
  it('answers Meta’s verification and refuses what the app secret did not sign', async () => {
    const { server } = await setup(await engines[0]![1]())
    const verify = (token: string) => fetch(`${server.url}/channels/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`)
    const ok = await verify('verify-me')
    expect(ok.status).toBe(200)
    expect(await ok.text()).toBe('1158201444')
    expect((await verify('guess')).status).toBe(403)

    const body = customerMessage(PHONE, '62899', 'Eve', 'wamid.e1', 'forged')
    expect((await metaWebhook(server.url, 'another-secret', body)).status).toBe(401)
    expect((await metaWebhook(server.url, SECRET, body, 'sha256=00')).status).toBe(401)
    const unsigned = await fetch(`${server.url}/channels/whatsapp/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    expect(unsigned.status).toBe(401)
    // Another phone number's notification is not this inbox's.
    expect((await metaWebhook(server.url, SECRET, customerMessage('other-number', '62899', 'Eve', 'wamid.e2', 'hi'))).status).toBe(200)
    expect(await server.store.listConversations({ limit: 10 })).toEqual([])
  })

  it('needs a database, and without WhatsApp set up replies to its conversations are refused', async () => {
    await expect(createChatServer({ whatsapp: { phoneNumberId: PHONE, accessToken: 't', appSecret: SECRET, verifyToken: 'v' } })).rejects.toThrow(/`whatsapp` needs `database`/)
    const database = await engines[0]![1]()
    const { server } = await setup(database)
    await metaWebhook(server.url, SECRET, customerMessage(PHONE, '6282222', 'Sari', 'wamid.s1', 'Halo'))
    const [conversation] = await server.store.listConversations({ limit: 1 })
    await server.close()
    const plain = await harness.start({ database, accounts: true })
    const agent = await harness.agent(plain)
    const refused = await request(agent.socket, 'send_message', { roomId: conversation!.roomId, clientId: 'x', text: 'halo' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/WhatsApp is not set up/) } })
    expect((await fetch(`${plain.url}/channels/whatsapp/webhook`)).status).toBe(404)
  })
})
