// @vitest-environment happy-dom
/**
 * Settings → Integrations in happy-dom, against a stub of the server's routes: owners make and
 * revoke API keys (the key shown once), add and remove webhooks (the secret shown once) and read
 * a webhook's delivery log; agents who are not owners are not offered any of it. WhatsApp
 * conversations carry their label, and a reply WhatsApp refused says why.
 */
import userEvent from '@testing-library/user-event'
import { describe, expect, test } from 'vitest'
import { conversation, ok, refused, SARI, settle, signedIn, start } from './harness'

const KEY = { id: 'k1', name: 'CRM sync', prefix: 'obk_AbCdEfGh', scopes: ['read', 'write'], createdAt: Date.UTC(2025, 2, 1), lastUsedAt: Date.UTC(2025, 2, 4) }
const EVENTS = ['conversation.created', 'conversation.status_changed', 'conversation.assigned', 'message.created', 'message.updated', 'message.deleted']

async function waitFor(check: () => unknown): Promise<void> {
  for (let i = 0; i < 50; i++) {
    try {
      check()
      return
    } catch {
      await settle()
    }
  }
  check()
}

describe('integrations settings', () => {
  test('owners open them from Settings, make a key (shown once) and revoke one after confirming', async () => {
    let keys: object[] = [KEY]
    const inbox = await start({
      ...signedIn(),
      'GET /api/integrations/keys': () => ok({ keys }),
      'POST /api/integrations/keys': (body) => {
        keys = [...keys, { id: 'k2', name: body!.name, prefix: 'obk_ZyXwVuTs', scopes: body!.scopes, createdAt: Date.UTC(2025, 2, 5) }]
        return ok({ key: keys[1], token: 'obk_ZyXwVuTs-the-whole-key' })
      },
      'DELETE /api/integrations/keys/k1': () => {
        keys = [{ ...KEY, revokedAt: Date.UTC(2025, 2, 5) }, keys[1]!]
        return ok({})
      },
      'GET /api/integrations/webhooks': ok({ available: true, events: EVENTS, webhooks: [] }),
    })
    const user = userEvent.setup()
    await settle()
    await user.click(inbox.ui.getByRole('button', { name: 'Settings' }))
    await user.click(inbox.ui.getByRole('button', { name: 'Integrations' }))
    await waitFor(() => inbox.ui.getByText('CRM sync'))
    expect(location.search).toBe('?view=integrations')
    inbox.ui.getByText('obk_AbCdEfGh…')

    await user.type(inbox.ui.getByLabelText('What it is for'), 'Status page')
    await user.click(inbox.ui.getByRole('button', { name: 'Make key' }))
    await settle()
    expect(inbox.calls.find((c) => c.method === 'POST')?.body).toEqual({ name: 'Status page', scopes: ['read'] })
    expect((inbox.ui.getByLabelText(/Copy this key now/) as HTMLInputElement).value).toBe('obk_ZyXwVuTs-the-whole-key')

    await user.click(inbox.ui.getByRole('button', { name: 'Revoke CRM sync' }))
    inbox.ui.getByText('Revoke CRM sync? Requests with it are refused at once.')
    await user.click(inbox.ui.getByRole('button', { name: 'Revoke' }))
    await settle()
    expect(inbox.calls.some((c) => c.method === 'DELETE' && c.path === '/api/integrations/keys/k1')).toBe(true)
    inbox.ui.getByText(/^revoked /)
  })

  test('owners add a webhook for chosen events (secret shown once), read its delivery log and remove it', async () => {
    let webhooks: object[] = []
    const inbox = await start(
      {
        ...signedIn(),
        'GET /api/integrations/keys': ok({ keys: [] }),
        'GET /api/integrations/webhooks': () => ok({ available: true, events: EVENTS, webhooks }),
        'POST /api/integrations/webhooks': (body) => {
          webhooks = [{ id: 'w1', url: body!.url, events: body!.events }]
          return ok({ subscription: webhooks[0], secret: 'whsec_the-secret' })
        },
        'GET /api/integrations/webhooks/w1/deliveries': ok({
          deliveries: [
            { id: 2, eventType: 'message.created', state: 'pending', attempts: 3, createdAt: Date.UTC(2025, 2, 5, 11), nextAttemptAt: Date.UTC(2025, 2, 5, 12, 5), lastStatus: 503, lastResponse: 'upstream down' },
            { id: 1, eventType: 'conversation.created', state: 'delivered', attempts: 1, createdAt: Date.UTC(2025, 2, 5, 10), lastStatus: 200, lastResponse: 'ok' },
          ],
        }),
        'DELETE /api/integrations/webhooks/w1': () => {
          webhooks = []
          return ok({})
        },
      },
      '/inbox/?view=integrations',
    )
    const user = userEvent.setup()
    await waitFor(() => inbox.ui.getByText('No webhooks yet.'))
    inbox.ui.getByText('No API keys yet.')
    await user.type(inbox.ui.getByLabelText('URL'), 'https://crm.toko.example/hooks/obrolan')
    await user.click(inbox.ui.getByRole('checkbox', { name: 'message.updated' }))
    await user.click(inbox.ui.getByRole('checkbox', { name: 'message.deleted' }))
    await user.click(inbox.ui.getByRole('button', { name: 'Add webhook' }))
    await settle()
    expect(inbox.calls.find((c) => c.method === 'POST')?.body).toEqual({
      url: 'https://crm.toko.example/hooks/obrolan',
      events: ['conversation.created', 'conversation.status_changed', 'conversation.assigned', 'message.created'],
    })
    expect((inbox.ui.getByLabelText(/Copy the signing secret now/) as HTMLInputElement).value).toBe('whsec_the-secret')

    await user.click(inbox.ui.getByRole('button', { name: 'Deliveries' }))
    await settle()
    const log = inbox.ui.getByRole('table', { name: 'Latest deliveries to https://crm.toko.example/hooks/obrolan' })
    expect(log.querySelectorAll('tbody tr')).toHaveLength(2)
    expect(log.textContent).toContain('HTTP 503 — upstream down')
    expect(log.textContent).toContain('waiting')
    expect(log.textContent).toContain('delivered')

    await user.click(inbox.ui.getByRole('button', { name: 'Remove https://crm.toko.example/hooks/obrolan' }))
    await user.click(inbox.ui.getByRole('button', { name: 'Remove' }))
    await settle()
    inbox.ui.getByText('No webhooks yet.')
  })

  test('say why webhooks are not available without a database, and refusals in words', async () => {
    const inbox = await start(
      {
        ...signedIn(),
        'GET /api/integrations/keys': ok({ keys: [] }),
        'POST /api/integrations/keys': refused(400, 'scopes must be read, write, or both'),
        'GET /api/integrations/webhooks': ok({ available: false, reason: 'Webhooks need a database', events: EVENTS, webhooks: [] }),
      },
      '/inbox/?view=integrations',
    )
    const user = userEvent.setup()
    await waitFor(() => inbox.ui.getByText('Webhooks need a database'))
    expect(inbox.ui.queryByRole('button', { name: 'Add webhook' })).toBeNull()
    await user.type(inbox.ui.getByLabelText('What it is for'), 'x')
    await user.click(inbox.ui.getByRole('checkbox', { name: 'read' }))
    await user.click(inbox.ui.getByRole('button', { name: 'Make key' }))
    await settle()
    inbox.ui.getByText('That did not work: scopes must be read, write, or both')
  })

  test('are not offered to agents who are not owners', async () => {
    const budi = { ...SARI, id: 'a-budi', name: 'Budi', role: 'agent' as const }
    const inbox = await start({ ...signedIn(budi) }, '/inbox/?view=integrations')
    const user = userEvent.setup()
    await waitFor(() => inbox.ui.getByText('Only owners manage API keys and webhooks.'))
    await user.click(inbox.ui.getByRole('button', { name: 'Settings' }))
    expect(inbox.ui.queryByRole('button', { name: 'Integrations' })).toBeNull()
    expect(inbox.calls.some((c) => c.path.startsWith('/api/integrations'))).toBe(false)
  })
})

describe('WhatsApp conversations', () => {
  test('carry their label, and a reply WhatsApp refused says why', async () => {
    const whatsapp = { ...conversation('r-wa'), channel: 'whatsapp' as const, visitor: { id: 'whatsapp:628123456789', role: 'visitor' as const, name: 'Test Customer' } }
    const inbox = await start({ ...signedIn() }, '/inbox/?c=r-wa')
    await settle(() => {
      inbox.fake.stores.status.set('connected')
      inbox.fake.stores.conversations.set([whatsapp])
      inbox.fake.stores.conversation.set(whatsapp)
      inbox.fake.stores.messages.set([
        { clientId: 'c1', id: 'm1', seq: 1, roomId: 'r-wa', author: whatsapp.visitor, text: 'Halo', createdAt: Date.UTC(2025, 2, 5, 11), status: 'read', own: false },
        {
          clientId: 'c2',
          id: 'm2',
          seq: 2,
          roomId: 'r-wa',
          author: { id: SARI.id, role: 'agent', name: 'Sari' },
          text: 'Maaf terlambat',
          createdAt: Date.UTC(2025, 2, 5, 11, 30),
          status: 'sent',
          own: true,
          delivery: { channel: 'whatsapp', status: 'failed', error: '(#131047) Re-engagement message: more than 24 hours have passed' },
        },
      ])
    })
    await waitFor(() => inbox.ui.getByText('Not delivered on WhatsApp: (#131047) Re-engagement message: more than 24 hours have passed'))
    inbox.ui.getByText('WhatsApp +628123456789')
    expect(inbox.ui.getAllByText('WhatsApp').length).toBeGreaterThan(0)
    // What went out on WhatsApp is not edited or deleted here.
    expect(inbox.ui.queryByRole('button', { name: 'Edit' })).toBeNull()
  })
})
