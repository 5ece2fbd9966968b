/**
 * The README's Integrations section is run as written: every `sh` block with a curl command runs
 * in bash against a real server (SQLite, accounts, WhatsApp on a fake Cloud API) and must exit 0
 * (`--fail-with-body` turns any refusal into a failure), and its `js` webhook verifier must accept
 * a real delivery and refuse a tampered or stale one.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import type { WireMessage } from '../../src/protocol'
import { startFakeCloudApi } from '../support/fake-cloud-api'
import { until } from '../support/until'
import { startWebhookReceiver } from '../support/webhook-receiver'
import { request, useHarness } from './helpers'
import { api, apiKey, ownerOf } from './owner-browser'

const run = promisify(execFile)
const folder = mkdtempSync(join(tmpdir(), 'obrolan-readme-int-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))
const harness = useHarness()

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
const section = readme.slice(readme.indexOf('## Integrations'), readme.indexOf('## The protocol'))
const blocks = (language: string): string[] => [...section.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1]!)

describe('the README’s Integrations examples', () => {
  it('run as written against a real server', { timeout: 60_000 }, async () => {
    const curls = blocks('sh').filter((block) => block.includes('curl '))
    expect(curls.length).toBeGreaterThanOrEqual(7)
    const cloud = await startFakeCloudApi()
    const receiver = await startWebhookReceiver()
    try {
      const whatsapp = { phoneNumberId: '106540352242922', accessToken: 'EAAG-readme', appSecret: 'readme-app-secret', verifyToken: 'readme-verify-token', apiUrl: cloud.apiUrl }
      const server = await harness.start({ database: `sqlite:${join(folder, 'readme.db')}`, accounts: true, whatsapp, deliveries: { pollMs: 30, firstRetryMs: 50 } })
      const owner = await ownerOf(server)
      const subscription = await owner.call<{ secret: string }>('POST', '/api/integrations/webhooks', { url: receiver.url, events: ['message.created'] })
      const key = await apiKey(owner)
      const visitor = await harness.visitor(server)
      await request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: 'v1', text: 'Pesanan saya #1042?' })
      const bot = await api(server, key)<{ message: WireMessage }>('POST', `/conversations/${visitor.roomId}/messages`, { text: 'Sebentar, saya cek', bot: 'Order bot' })
      const env = {
        PATH: process.env.PATH ?? '',
        OBROLAN: server.url,
        KEY: key,
        ROOM: visitor.roomId,
        MESSAGE: bot.body.data!.message.id,
        APP_SECRET: whatsapp.appSecret,
        VERIFY_TOKEN: whatsapp.verifyToken,
        PHONE_NUMBER_ID: whatsapp.phoneNumberId,
      }
      const outputs: string[] = []
      for (const block of curls) {
        const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', block], { env }).catch((error: { stdout?: string; stderr?: string; code?: number }) => {
          throw new Error(`README block failed (${error.code}):\n${block}\n${error.stdout ?? ''}${error.stderr ?? ''}`)
        })
        expect(stdout, block).not.toContain('"success":false')
        outputs.push(stdout)
      }
      expect(outputs.join('\n')).toContain('1158201444')
      expect(outputs.join('\n')).toContain('"openapi":"3.1.0"')
      // What the examples did: a message posted once, the status set, the edit, the WhatsApp contact's conversation.
      const messages = (await server.store.getMessages(visitor.roomId, { limit: 10 })).messages
      expect(messages.map((m) => m.text)).toEqual(['Pesanan saya #1042?', 'Pesanan #1042 sudah dikirim (JNE)', 'Pesanan #1042 sudah dikirim'])
      expect(messages[1]).toMatchObject({ text: 'Pesanan #1042 sudah dikirim (JNE)', editedAt: expect.any(Number) })
      expect(messages[2]).toMatchObject({ text: 'Pesanan #1042 sudah dikirim', author: { name: 'Order bot' } })
      expect((await server.store.getConversation(visitor.roomId))?.status).toBe('pending')
      const contact = (await server.store.listConversations({ limit: 10 })).find((c) => c.visitor.id === 'whatsapp:628123456789')
      expect(contact).toMatchObject({ visitor: { name: 'Test Customer' }, lastMessage: { text: 'Hello from customer!' } })

      // The verifier, as printed, against a real delivery.
      await until(() => receiver.deliveries.length > 0)
      const [verifier] = blocks('js')
      const script = join(folder, 'verify.mjs')
      writeFileSync(script, `${verifier}\nconst d = JSON.parse(process.argv[2]); console.log(JSON.stringify([verifyObrolanWebhook(d.secret, d.body, d.headers), verifyObrolanWebhook(d.secret, d.body + ' ', d.headers), verifyObrolanWebhook(d.secret, d.body, d.headers, Math.floor(Date.now() / 1000) + 600)]))\n`)
      const delivery = receiver.deliveries[0]!
      const { stdout } = await run(process.execPath, [script, JSON.stringify({ secret: subscription.body.data!.secret, body: delivery.body, headers: delivery.headers })])
      expect(JSON.parse(stdout)).toEqual([true, false, false])
    } finally {
      await receiver.close()
      await cloud.close()
    }
  })
})
