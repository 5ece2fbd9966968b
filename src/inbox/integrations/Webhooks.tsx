/**
 * Webhooks: the subscriptions, adding one (URL and events; its signing secret shown once),
 * removing after a confirmation, and each one's delivery log with the last answer it got. Without
 * a database the server says webhooks are not available, and why.
 */
import { useEffect, useState } from 'preact/hooks'
import { useInbox } from '../context'
import { fill } from '../i18n'
import { CopyOnce } from './CopyOnce'
import type { IntegrationStrings } from './strings'

interface Webhook {
  id: string
  url: string
  events: string[]
}

interface Delivery {
  id: number
  eventType: string
  state: 'pending' | 'delivered' | 'failed'
  attempts: number
  createdAt: number
  nextAttemptAt?: number
  lastStatus?: number
  lastError?: string
  lastResponse?: string
}

interface Listing {
  available: boolean
  reason?: string
  events: string[]
  webhooks: Webhook[]
}

export function Webhooks({ text, report }: { text: IntegrationStrings; report: (message: string) => void }) {
  const { api } = useInbox()
  const [listing, setListing] = useState<Listing | undefined>(undefined)
  const [url, setUrl] = useState('')
  const [wanted, setWanted] = useState<Set<string> | undefined>(undefined)
  const [secret, setSecret] = useState<string | undefined>(undefined)
  const [confirming, setConfirming] = useState<string | undefined>(undefined)
  const [open, setOpen] = useState<string | undefined>(undefined)

  const load = async () => {
    const result = await api.call<Listing>('GET', '/api/integrations/webhooks')
    if (!result.ok) return report(result.message)
    setListing(result.data)
    setWanted((current) => current ?? new Set(result.data.events))
  }
  useEffect(() => void load(), [])

  const add = async () => {
    const result = await api.call<{ secret: string }>('POST', '/api/integrations/webhooks', { url: url.trim(), events: [...(wanted ?? [])] })
    if (!result.ok) return report(result.message)
    setSecret(result.data.secret)
    setUrl('')
    await load()
  }

  const remove = async (id: string) => {
    setConfirming(undefined)
    const result = await api.call('DELETE', `/api/integrations/webhooks/${encodeURIComponent(id)}`, {})
    if (!result.ok) report(result.message)
    await load()
  }

  return (
    <section class="integration" aria-labelledby="webhooks-title">
      <h3 id="webhooks-title">{text.webhooksTitle}</h3>
      <p class="muted">{text.webhooksIntro}</p>
      {listing && !listing.available && <p class="form-error">{listing.reason}</p>}
      {listing?.available && listing.webhooks.length === 0 && <p>{text.noWebhooks}</p>}
      <ul class="agent-list">
        {listing?.webhooks.map((webhook) => (
          <li key={webhook.id} class="agent webhook" data-webhook={webhook.id}>
            <span class="agent-name">{webhook.url}</span>
            <span class="muted">{webhook.events.join(', ')}</span>
            <span class="agent-actions">
              <button type="button" class="ghost" aria-expanded={open === webhook.id} onClick={() => setOpen(open === webhook.id ? undefined : webhook.id)}>
                {open === webhook.id ? text.hideLog : text.showLog}
              </button>
              {confirming === webhook.id ? (
                <>
                  <span>{fill(text.confirmRemove, { url: webhook.url })}</span>
                  <button type="button" class="danger" onClick={() => void remove(webhook.id)}>
                    {text.remove}
                  </button>
                  <button type="button" class="ghost" onClick={() => setConfirming(undefined)}>
                    {text.cancel}
                  </button>
                </>
              ) : (
                <button type="button" class="ghost" aria-label={`${text.remove} ${webhook.url}`} onClick={() => setConfirming(webhook.id)}>
                  {text.remove}
                </button>
              )}
            </span>
            {open === webhook.id && <DeliveryLog webhook={webhook} text={text} report={report} />}
          </li>
        ))}
      </ul>
      {listing?.available && (
        <form
          class="invite"
          onSubmit={(event) => {
            event.preventDefault()
            void add()
          }}
        >
          <div class="field">
            <label for="webhook-url">{text.url}</label>
            <input id="webhook-url" type="url" required placeholder="https://crm.example.com/hooks/obrolan" value={url} onInput={(event) => setUrl(event.currentTarget.value)} />
          </div>
          <fieldset class="choices">
            <legend>{text.events}</legend>
            {listing.events.map((event) => (
              <label key={event} class="check">
                <input
                  type="checkbox"
                  checked={wanted?.has(event) ?? true}
                  onChange={(change) => {
                    const next = new Set(wanted)
                    if (change.currentTarget.checked) next.add(event)
                    else next.delete(event)
                    setWanted(next)
                  }}
                />
                <code>{event}</code>
              </label>
            ))}
          </fieldset>
          <button type="submit" class="primary">
            {text.addWebhook}
          </button>
          {secret && <CopyOnce label={text.secretReady} value={secret} text={text} id="new-secret" />}
        </form>
      )}
    </section>
  )
}

function DeliveryLog({ webhook, text, report }: { webhook: Webhook; text: IntegrationStrings; report: (message: string) => void }) {
  const { api, format } = useInbox()
  const [deliveries, setDeliveries] = useState<Delivery[] | undefined>(undefined)
  useEffect(() => {
    void api.call<{ deliveries: Delivery[] }>('GET', `/api/integrations/webhooks/${encodeURIComponent(webhook.id)}/deliveries`).then((result) => {
      if (result.ok) setDeliveries(result.data.deliveries)
      else report(result.message)
    })
  }, [webhook.id])
  if (!deliveries) return null
  if (deliveries.length === 0) return <p class="delivery-log">{text.noDeliveries}</p>
  return (
    <table class="delivery-log">
      <caption>{fill(text.logCaption, { url: webhook.url })}</caption>
      <thead>
        <tr>
          {(['time', 'event', 'state', 'attempts', 'answer'] as const).map((column) => (
            <th key={column} scope="col">
              {text[`col_${column}`]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {deliveries.map((delivery) => (
          <tr key={delivery.id} data-state={delivery.state}>
            <td>{format.full(delivery.createdAt)}</td>
            <td>
              <code>{delivery.eventType}</code>
            </td>
            <td>
              {text[`state_${delivery.state}`]}
              {delivery.state === 'pending' && delivery.nextAttemptAt !== undefined && delivery.attempts > 0 && (
                <span class="muted"> · {fill(text.nextTry, { time: format.full(delivery.nextAttemptAt) })}</span>
              )}
            </td>
            <td>{delivery.attempts}</td>
            <td>
              {[delivery.lastStatus !== undefined ? `HTTP ${delivery.lastStatus}` : delivery.lastError, delivery.lastResponse].filter(Boolean).join(' — ')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
