/** Email and password; a refusal in words; a note when no account exists yet. */
import { useState } from 'preact/hooks'
import { useInbox } from '../context'
import { describeFailure } from './failure'
import { AuthCard, Field } from './AuthCard'

export function SignInScreen({ setupNeeded, ended }: { setupNeeded: boolean; ended: boolean }) {
  const { strings, session } = useInbox()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState(ended ? strings.sessionEnded : '')
  const [busy, setBusy] = useState(false)

  const submit = async () => {
    if (email.trim() === '' || password === '') {
      setError(strings.wrongCredentials)
      return
    }
    setBusy(true)
    setError('')
    const outcome = await session.signIn(email.trim(), password)
    // On success the session store changes and this screen is replaced.
    if (!outcome.ok) {
      setBusy(false)
      setError(describeFailure(strings, outcome.failure))
    }
  }

  return (
    <AuthCard
      title={strings.signInTitle}
      intro={setupNeeded ? strings.setupNeededNote : undefined}
      error={error}
      busy={busy}
      submitLabel={strings.signIn}
      onSubmit={() => void submit()}
    >
      <Field id="email" label={strings.email} type="email" value={email} onInput={setEmail} autoComplete="username" />
      <Field id="password" label={strings.password} type="password" value={password} onInput={setPassword} autoComplete="current-password" />
    </AuthCard>
  )
}
