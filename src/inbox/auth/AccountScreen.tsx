/**
 * Creating an account from a link: the owner's first-run setup (name, email, password) and an
 * invited agent's acceptance (name, password; the email is the invite's). The token comes from the
 * link's fragment; once the account exists the URL is replaced, so the token leaves the history.
 */
import { useState } from 'preact/hooks'
import { useInbox } from '../context'
import type { Outcome } from '../state/session'
import { describeFailure, MIN_PASSWORD_LENGTH } from './failure'
import { AuthCard, Field } from './AuthCard'

export function AccountScreen({ kind, token }: { kind: 'setup' | 'invite'; token: string | undefined }) {
  const { strings, session, router } = useInbox()
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState(token ? '' : strings.missingToken)
  const [busy, setBusy] = useState(false)
  const linkUsed = kind === 'setup' ? strings.setupUsed : strings.inviteUsed

  const submit = async () => {
    if (!token) return setError(strings.missingToken)
    if (password.length < MIN_PASSWORD_LENGTH) return setError(strings.passwordTooShort)
    setBusy(true)
    setError('')
    const outcome: Outcome =
      kind === 'setup'
        ? await session.setup({ token, name: name.trim(), email: email.trim(), password })
        : await session.acceptInvite({ token, name: name.trim(), password })
    if (outcome.ok) {
      router.navigate({ screen: 'inbox' }, { replace: true })
      return
    }
    setBusy(false)
    setError(describeFailure(strings, outcome.failure, linkUsed))
  }

  return (
    <AuthCard
      title={kind === 'setup' ? strings.setupTitle : strings.inviteTitle}
      intro={kind === 'setup' ? strings.setupIntro : strings.inviteIntro}
      error={error}
      busy={busy}
      submitLabel={kind === 'setup' ? strings.createAccount : strings.join}
      onSubmit={() => void submit()}
      footer={
        <button type="button" class="quiet-link" onClick={() => router.navigate({ screen: 'inbox' }, { replace: true })}>
          {strings.goToSignIn}
        </button>
      }
    >
      <Field id="name" label={strings.name} type="text" value={name} onInput={setName} autoComplete="name" />
      {kind === 'setup' && <Field id="email" label={strings.email} type="email" value={email} onInput={setEmail} autoComplete="username" />}
      <Field
        id="password"
        label={strings.password}
        type="password"
        value={password}
        onInput={setPassword}
        autoComplete="new-password"
        hint={strings.passwordHint}
      />
    </AuthCard>
  )
}
