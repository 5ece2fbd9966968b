/**
 * Webhooks against the real server on SQLite, with a receiver started here: subscriptions made by
 * an owner in the inbox's settings, every event type, signatures a receiver can verify, a delivery
 * log, retries that give up, and a receiver that hangs while chat goes on.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { verifyWebhook } from '../../src/server/integrations/webhook-signature'
import type { WireMessage } from '../../src/protocol'
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver'
import { until } from '../support/until'
import { request, useHarness } from './helpers'
import { api, apiKey, ownerOf, type Browser } from './owner-browser'

const folder = mkdtempSync(join(tmpdir(), 'obrolan-webhooks-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))
const harness = useHarness()
const receivers: WebhookReceiver[] = []
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()))
})

const FAST = { firstRetryMs: 40, maxRetryMs: 200, pollMs: 30, timeoutMs: 500 }
let databases = 0

interface Event {
  id: string
  type: string
  createdAt: number
  data: { conversation: { roomId: string; status: string; assignee?: { id: string } }; message?: WireMessage }
}

async function setup(options: Parameters<typeof harness.start>[0] = {}) {
  const server = await harness.start({ database: `sqlite:${join(folder, `w${++databases}.db`)}`, accounts: true, deliveries: FAST, ...options })
  const owner = await ownerOf(server)
  const receiver = await startWebhookReceiver()
  receivers.push(receiver)
  return { server, owner, receiver }
}

async function subscribe(owner: Browser, url: string, events?: string[]): Promise<{ id: string; secret: string }> {
  const made = await owner.call<{ subscription: { id: string }; secret: string }>('POST', '/api/integrations/webhooks', { url, ...(events && { events }) })
  expect(made.status).toBe(200)
  return { id: made.body.data!.subscription.id, secret: made.body.data!.secret }
}

const events = (receiver: WebhookReceiver): Event[] => receiver.deliveries.map((delivery) => JSON.parse(delivery.body) as Event)

describe('webhooks', () => {
  it('deliver every event type, signed so that a receiver can verify them and refuse replays', async () => {
    const { server, owner, receiver } = await setup()
    const { secret } = await subscribe(owner, receiver.url)
    const call = api(server, await apiKey(owner))
    const visitor = await harness.connect(server, { v: 2, role: 'visitor' })
    const roomId = visitor.session.roomId!
    await request(visitor.socket, 'send_message', { roomId, clientId: 'c1', text: 'Halo' })
    const posted = await call<{ message: WireMessage }>('POST', `/conversations/${roomId}/messages`, { text: 'Halo juga', bot: 'Bot' })
    const id = posted.body.data!.message.id
    await call('PATCH', `/conversations/${roomId}/messages/${id}`, { text: 'Halo juga!' })
    await call('DELETE', `/conversations/${roomId}/messages/${id}`)
    await call('PUT', `/conversations/${roomId}/status`, { status: 'pending' })
    const dewi = (await call<{ agents: { id: string }[] }>('GET', '/agents')).body.data!.agents[0]!.id
    await call('PUT', `/conversations/${roomId}/assignee`, { agentId: dewi })
    await until(() => receiver.deliveries.length >= 7, 5000)

    expect(events(receiver).map((event) => event.type)).toEqual([
      'conversation.created',
      'message.created',
      'message.created',
      'message.updated',
      'message.deleted',
      'conversation.status_changed',
      'conversation.assigned',
    ])
    const [created, first, second, updated, deleted, status, assigned] = events(receiver)
    expect(created!.data.conversation).toMatchObject({ roomId, status: 'open' })
    expect(first!.data.message).toMatchObject({ seq: 1, text: 'Halo', author: { role: 'visitor' } })
    expect(second!.data.message).toMatchObject({ seq: 2, text: 'Halo juga' })
    expect(updated!.data.message).toMatchObject({ text: 'Halo juga!', changeSeq: 1 })
    expect(deleted!.data.message).toMatchObject({ deleted: true, text: '' })
    expect(status!.data.conversation.status).toBe('pending')
    expect(assigned!.data.conversation.assignee?.id).toBe(dewi)

    for (const delivery of receiver.deliveries) {
      const event = JSON.parse(delivery.body) as Event
      expect(delivery.headers['content-type']).toBe('application/json')
      expect(delivery.headers['x-obrolan-event']).toBe(event.type)
      expect(delivery.headers['x-obrolan-event-id']).toBe(event.id)
      const timestamp = delivery.headers['x-obrolan-timestamp'] as string
      const signature = delivery.headers['x-obrolan-signature'] as string
      expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/)
      const now = Math.floor(Date.now() / 1000)
      expect(verifyWebhook(secret, delivery.body, timestamp, signature, now)).toBe(true)
      // Tampered, signed with another secret, or replayed ten minutes later: refused.
      expect(verifyWebhook(secret, delivery.body.replace('Halo', 'Hola'), timestamp, signature, now)).toBe(delivery.body.includes('Halo') ? false : true)
      expect(verifyWebhook('whsec_other', delivery.body, timestamp, signature, now)).toBe(false)
      expect(verifyWebhook(secret, delivery.body, timestamp, signature, now + 600)).toBe(false)
    }
  })

  it('send only the events a subscription asked for, and are managed by owners with a delivery log', async () => {
    const { server, owner, receiver } = await setup()
    const only = await subscribe(owner, receiver.url, ['conversation.status_changed'])
    const listed = await owner.call<{ available: boolean; webhooks: Record<string, unknown>[]; events: string[] }>('GET', '/api/integrations/webhooks')
    expect(listed.body.data).toMatchObject({ available: true, webhooks: [{ id: only.id, url: receiver.url, events: ['conversation.status_changed'] }] })
    expect(JSON.stringify(listed.body)).not.toContain(only.secret)
    expect(listed.body.data!.events).toHaveLength(6)

    const call = api(server, await apiKey(owner))
    const visitor = await harness.visitor(server)
    await request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: 'c1', text: 'Halo' })
    await call('PUT', `/conversations/${visitor.roomId}/status`, { status: 'closed' })
    await until(() => receiver.deliveries.length === 1, 5000)
    expect(events(receiver)[0]!.type).toBe('conversation.status_changed')

    const log = await owner.call<{ deliveries: Record<string, unknown>[] }>('GET', `/api/integrations/webhooks/${only.id}/deliveries`)
    expect(log.body.data!.deliveries).toEqual([
      expect.objectContaining({ eventType: 'conversation.status_changed', roomId: visitor.roomId, state: 'delivered', attempts: 1, lastStatus: 200, lastResponse: 'thanks', doneAt: expect.any(Number) }),
    ])
    expect((await owner.call('POST', '/api/integrations/webhooks', { url: 'ftp://x.example' })).status).toBe(400)
    expect((await owner.call('POST', '/api/integrations/webhooks', { url: receiver.url, events: ['message.exploded'] })).body.message).toMatch(/events must be some of/)
    expect((await owner.call('DELETE', `/api/integrations/webhooks/${only.id}`)).status).toBe(200)
    expect((await owner.call('DELETE', `/api/integrations/webhooks/${only.id}`)).status).toBe(404)
    expect((await owner.call('GET', `/api/integrations/webhooks/${only.id}/deliveries`)).status).toBe(404)
  })

  it('retry a failing receiver with backoff, record its answers, give up after retryFor, then go on in order', async () => {
    const { server, owner, receiver } = await setup({ deliveries: { ...FAST, retryForMs: 400 } })
    const { id } = await subscribe(owner, receiver.url, ['message.created'])
    // The receiver chokes on the first message only.
    receiver.decide = (delivery) => (delivery.body.includes('"text":"one"') ? 'fail' : 'ok')
    const visitor = await harness.visitor(server)
    await request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: 'c1', text: 'one' })
    await request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: 'c2', text: 'two' })
    const log = async () => (await owner.call<{ deliveries: { state: string; attempts: number; lastStatus?: number; lastResponse?: string; lastError?: string }[] }>('GET', `/api/integrations/webhooks/${id}/deliveries`)).body.data!.deliveries
    // Only the first message is tried while it fails: the second waits behind it.
    await until(async () => (await log())[1]!.attempts >= 3, 5000)
    expect((await log())[0]).toMatchObject({ state: 'pending', attempts: 0 })
    expect(events(receiver).every((event) => event.data.message?.text === 'one')).toBe(true)
    const gaps = receiver.deliveries.slice(1, 4).map((d, i) => d.at - receiver.deliveries[i]!.at)
    expect(gaps.every((gap) => gap >= 15)).toBe(true) // backoff, not a busy loop
    await until(async () => (await log())[1]!.state === 'failed', 5000)
    expect((await log())[1]).toMatchObject({ state: 'failed', lastStatus: 500, lastResponse: 'receiver is broken today', lastError: 'the receiver answered 500' })
    await until(async () => (await log())[0]!.state === 'delivered', 5000)
    expect(events(receiver).at(-1)!.data.message?.text).toBe('two')
  })

  it('never slow chat down: a receiver that hangs costs the senders nothing', async () => {
    const { server, owner, receiver } = await setup({ deliveries: { ...FAST, timeoutMs: 60_000 } })
    await subscribe(owner, receiver.url)
    receiver.mode = 'hang'
    const visitor = await harness.visitor(server)
    const agent = await harness.agent(server, visitor.roomId)
    // Each request fails the test if its ack takes longer than 2 s; the receiver holds every
    // delivery for a minute, with 8 in flight at once.
    for (let i = 0; i < 30; i++) {
      const ack = await request(i % 2 ? agent.socket : visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: `m${i}`, text: `message ${i}` })
      expect(ack.ok).toBe(true)
    }
    await until(() => receiver.deliveries.length >= 1, 5000)
    expect((await server.store.getConversation(visitor.roomId))?.lastSeq).toBe(30)
  })

  it('are refused without a database, saying why', async () => {
    const server = await harness.start({ accounts: true })
    const owner = await ownerOf(server)
    const listed = await owner.call<{ available: boolean; reason: string }>('GET', '/api/integrations/webhooks')
    expect(listed.body.data).toMatchObject({ available: false, reason: expect.stringMatching(/need a database/) })
    const refused = await owner.call('POST', '/api/integrations/webhooks', { url: 'https://crm.example/hooks' })
    expect(refused).toMatchObject({ status: 409, body: { success: false, message: expect.stringMatching(/^Webhooks need a database/) } })
  })
})

