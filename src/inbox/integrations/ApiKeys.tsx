/** API keys: the list (never the keys), making one (shown once, to copy), revoking after a confirmation. */
import { useEffect, useState } from 'preact/hooks'
import { useInbox } from '../context'
import { fill } from '../i18n'
import { CopyOnce } from './CopyOnce'
import type { IntegrationStrings } from './strings'

interface ApiKey {
  id: string
  name: string
  prefix: string
  scopes: ('read' | 'write')[]
  createdAt: number
  lastUsedAt?: number
  revokedAt?: number
}

export function ApiKeys({ text, report }: { text: IntegrationStrings; report: (message: string) => void }) {
  const { api, format } = useInbox()
  const [keys, setKeys] = useState<ApiKey[] | undefined>(undefined)
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState({ read: true, write: false })
  const [made, setMade] = useState<string | undefined>(undefined)
  const [confirming, setConfirming] = useState<string | undefined>(undefined)

  const load = async () => {
    const result = await api.call<{ keys: ApiKey[] }>('GET', '/api/integrations/keys')
    if (result.ok) setKeys(result.data.keys)
    else report(result.message)
  }
  useEffect(() => void load(), [])

  const make = async () => {
    const chosen = (['read', 'write'] as const).filter((scope) => scopes[scope])
    const result = await api.call<{ token: string }>('POST', '/api/integrations/keys', { name: name.trim(), scopes: chosen })
    if (!result.ok) return report(result.message)
    setMade(result.data.token)
    setName('')
    await load()
  }

  const revoke = async (id: string) => {
    setConfirming(undefined)
    const result = await api.call('DELETE', `/api/integrations/keys/${encodeURIComponent(id)}`, {})
    if (!result.ok) report(result.message)
    await load()
  }

  return (
    <section class="integration" aria-labelledby="keys-title">
      <h3 id="keys-title">{text.keysTitle}</h3>
      <p class="muted">{text.keysIntro}</p>
      {keys?.length === 0 && <p>{text.noKeys}</p>}
      <ul class="agent-list">
        {keys?.map((key) => (
          <li key={key.id} class="agent" data-key={key.id}>
            <span class="agent-name">{key.name}</span>
            <code class="muted">{key.prefix}…</code>
            {key.scopes.map((scope) => (
              <span key={scope} class="chip">
                {text[`scope_${scope}`]}
              </span>
            ))}
            <span class="muted">
              {key.revokedAt !== undefined
                ? fill(text.revoked, { time: format.full(key.revokedAt) })
                : key.lastUsedAt !== undefined
                  ? fill(text.lastUsed, { time: format.full(key.lastUsedAt) })
                  : text.neverUsed}
            </span>
            {key.revokedAt === undefined && (
              <span class="agent-actions">
                {confirming === key.id ? (
                  <>
                    <span>{fill(text.confirmRevoke, { name: key.name })}</span>
                    <button type="button" class="danger" onClick={() => void revoke(key.id)}>
                      {text.revoke}
                    </button>
                    <button type="button" class="ghost" onClick={() => setConfirming(undefined)}>
                      {text.cancel}
                    </button>
                  </>
                ) : (
                  <button type="button" class="ghost" aria-label={`${text.revoke} ${key.name}`} onClick={() => setConfirming(key.id)}>
                    {text.revoke}
                  </button>
                )}
              </span>
            )}
          </li>
        ))}
      </ul>
      <form
        class="invite"
        onSubmit={(event) => {
          event.preventDefault()
          void make()
        }}
      >
        <div class="field">
          <label for="key-name">{text.keyName}</label>
          <input id="key-name" type="text" required maxLength={80} value={name} onInput={(event) => setName(event.currentTarget.value)} />
        </div>
        <fieldset class="choices">
          <legend>{text.scopes}</legend>
          {(['read', 'write'] as const).map((scope) => (
            <label key={scope} class="check">
              <input type="checkbox" checked={scopes[scope]} onChange={(event) => setScopes({ ...scopes, [scope]: event.currentTarget.checked })} />
              {text[`scope_${scope}`]}
            </label>
          ))}
        </fieldset>
        <button type="submit" class="primary">
          {text.makeKey}
        </button>
        {made && <CopyOnce label={text.keyReady} value={made} text={text} id="new-key" />}
      </form>
    </section>
  )
}
