/**
 * `obrolan webhooks` beside a running server on the same database: a subscription added on the
 * command line gets the server's events, its log shows them, and removing it stops them.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { verifyWebhook } from '../../src/server/integrations/webhook-signature'
import { startWebhookReceiver } from '../support/webhook-receiver'
import { until } from '../support/until'
import { useCli } from '../support/cli-in-process'
import { request, useHarness } from '../server/helpers'

const cli = useCli('hooks-cli')
const folder = cli.folder
const harness = useHarness()

const obrolan = (database: string, ...argv: string[]) => cli.run(database, argv)

describe('obrolan webhooks', () => {
  it('adds, lists, logs and removes subscriptions that a running server delivers to', async () => {
    const database = `sqlite:${join(folder, 'hooks.db')}`
    const server = await harness.start({ database, accounts: true, deliveries: { pollMs: 30, firstRetryMs: 50 } })
    const receiver = await startWebhookReceiver()
    try {
      const added = await obrolan(database, 'webhooks', 'add', receiver.url, '--events', 'message.created')
      expect(added.code).toBe(0)
      expect(added.err[0]).toMatch(/^Added webhook [0-9a-f-]{36} to http:\/\/127\.0\.0\.1:\d+\/hooks\/obrolan for message\.created\./)
      const secret = added.out[0]!
      expect(secret).toMatch(/^whsec_[\w-]{43}$/)
      const id = /webhook ([0-9a-f-]{36})/.exec(added.err[0]!)![1]!

      const visitor = await harness.visitor(server)
      // The server reads subscriptions again within 2 s; messages sent meanwhile are not for it.
      await until(async () => {
        await request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: `c${Date.now()}`, text: 'ping' })
        return receiver.deliveries.length > 0
      }, 6000)
      const delivery = receiver.deliveries[0]!
      expect(verifyWebhook(secret, delivery.body, delivery.headers['x-obrolan-timestamp'] as string, delivery.headers['x-obrolan-signature'] as string, Math.floor(Date.now() / 1000))).toBe(true)

      expect((await obrolan(database, 'webhooks', 'list')).out).toEqual([expect.stringMatching(new RegExp(`^${id}\\t${receiver.url}\\tmessage.created\\tadded `))])
      const log = await obrolan(database, 'webhooks', 'log', id)
      expect(log.out[log.out.length - 1]).toMatch(/^evt_[\w-]+\.created\tmessage\.created\tdelivered\t1 attempt\(s\)\tHTTP 200\t/)
      expect((await obrolan(database, 'webhooks', 'remove', id)).out).toEqual([`Removed webhook ${id}; deliveries still waiting for it are given up.`])
      expect((await obrolan(database, 'webhooks', 'list')).out).toEqual(['No webhooks yet.'])
      expect(await obrolan(database, 'webhooks', 'add', 'not a url')).toMatchObject({ code: 1, err: [expect.stringMatching(/url must be an http\(s\) address/)] })
      expect(await obrolan(database, 'webhooks', 'log', id)).toMatchObject({ code: 1, err: [`obrolan webhooks log: No webhook ${id}`] })
    } finally {
      await receiver.close()
    }
  })
})
