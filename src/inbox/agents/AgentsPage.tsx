/**
 * The team: every agent with their role; owners invite (a one-time link to send) and remove
 * (after a confirmation; a removed agent is signed out at once). Nobody removes themselves here.
 */
import { useEffect, useState } from 'preact/hooks'
import type { Agent } from '../api/auth-api'
import { describeFailure } from '../auth/failure'
import { useChat, useInbox } from '../context'
import { fill } from '../i18n'
import { failureOf } from '../state/session'

export function AgentsPage() {
  const { strings, api, format } = useInbox()
  const { agent: me } = useChat()
  const [agents, setAgents] = useState<Agent[] | undefined>(undefined)
  const [error, setError] = useState('')
  const [confirming, setConfirming] = useState<string | undefined>(undefined)
  const [email, setEmail] = useState('')
  const [name, setName] = useState('')
  const [invite, setInvite] = useState<{ url: string; email: string; expiresAt: number } | undefined>(undefined)
  const [copied, setCopied] = useState(false)
  const owner = me.role === 'owner'

  const load = async () => {
    const result = await api.agents()
    if (result.ok) setAgents(result.data.agents)
    else setError(describeFailure(strings, failureOf(result)))
  }
  useEffect(() => void load(), [])

  const remove = async (agent: Agent) => {
    setConfirming(undefined)
    const result = await api.removeAgent(agent.id)
    if (!result.ok) return setError(describeFailure(strings, failureOf(result)))
    setError('')
    await load()
  }

  const createInvite = async () => {
    setError('')
    setCopied(false)
    const result = await api.invite({ email: email.trim(), ...(name.trim() ? { name: name.trim() } : {}) })
    if (!result.ok) return setError(describeFailure(strings, failureOf(result)))
    setInvite({ url: result.data.inviteUrl, email: email.trim(), expiresAt: result.data.expiresAt })
    setEmail('')
    setName('')
  }

  const copy = async () => {
    if (!invite) return
    try {
      await navigator.clipboard.writeText(invite.url)
      setCopied(true)
    } catch (e) {
      // Clipboard refused (permissions, an insecure origin): the link stays selectable on screen.
      console.warn('obrolan inbox: cannot copy the invite link', e)
    }
  }

  return (
    <section class="agents-page" aria-labelledby="agents-title">
      <h2 id="agents-title">{strings.agentsTitle}</h2>
      <p class="form-error" role="alert">
        {error}
      </p>
      {agents === undefined ? (
        <p>{strings.loading}</p>
      ) : (
        <ul class="agent-list">
          {agents.map((agent) => (
            <li key={agent.id} class="agent">
              <span class="agent-name">
                {agent.name} {agent.id === me.id && <span class="muted">{strings.youMarker}</span>}
              </span>
              <span class="muted">{agent.email}</span>
              <span class="chip">{strings[`role_${agent.role}`]}</span>
              {owner && agent.id !== me.id && (
                <span class="agent-actions">
                  {confirming === agent.id ? (
                    <>
                      <span>{fill(strings.confirmRemove, { name: agent.name })}</span>
                      <button type="button" class="danger" onClick={() => void remove(agent)}>
                        {strings.remove}
                      </button>
                      <button type="button" class="ghost" onClick={() => setConfirming(undefined)}>
                        {strings.cancel}
                      </button>
                    </>
                  ) : (
                    <button type="button" class="ghost" aria-label={`${strings.remove} ${agent.name}`} onClick={() => setConfirming(agent.id)}>
                      {strings.remove}
                    </button>
                  )}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {owner ? (
        <form
          class="invite"
          aria-labelledby="invite-title"
          onSubmit={(event) => {
            event.preventDefault()
            void createInvite()
          }}
        >
          <h3 id="invite-title">{strings.inviteTitleForm}</h3>
          <div class="field">
            <label for="invite-email">{strings.email}</label>
            <input id="invite-email" type="email" required value={email} onInput={(event) => setEmail(event.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="invite-name">{strings.inviteName}</label>
            <input id="invite-name" type="text" value={name} onInput={(event) => setName(event.currentTarget.value)} />
          </div>
          <button type="submit" class="primary">
            {strings.createInvite}
          </button>
          {invite && (
            <div class="invite-ready" role="status">
              <p>{fill(strings.inviteReady, { email: invite.email, time: format.full(invite.expiresAt) })}</p>
              <label class="sr-only" for="invite-link">
                {strings.inviteLink}
              </label>
              <input id="invite-link" type="text" readOnly value={invite.url} onFocus={(event) => event.currentTarget.select()} />
              <button type="button" class="ghost" onClick={() => void copy()}>
                {copied ? strings.copied : strings.copy}
              </button>
            </div>
          )}
        </form>
      ) : (
        <p class="muted">{strings.ownersOnly}</p>
      )}
    </section>
  )
}
