/**
 * Settings → Integrations, for owners: REST API keys and webhooks with their delivery log. Loaded
 * only when opened (its own chunk), so the inbox's first screen does not carry it.
 */
import { useState } from 'preact/hooks'
import { useChat, useInbox } from '../context'
import { fill } from '../i18n'
import { ApiKeys } from './ApiKeys'
import { en, id } from './strings'
import { Webhooks } from './Webhooks'

export function IntegrationsPage() {
  const { locale } = useInbox()
  const { agent } = useChat()
  const text = locale === 'id' ? id : en
  const [error, setError] = useState('')
  const report = (message: string) => setError(fill(text.failed, { message }))
  return (
    <section class="agents-page integrations-page" aria-labelledby="integrations-title">
      <h2 id="integrations-title">{text.title}</h2>
      <p class="form-error" role="alert">
        {error}
      </p>
      {agent.role === 'owner' ? (
        <>
          <ApiKeys text={text} report={report} />
          <Webhooks text={text} report={report} />
        </>
      ) : (
        <p class="muted">{text.ownersOnly}</p>
      )}
    </section>
  )
}
