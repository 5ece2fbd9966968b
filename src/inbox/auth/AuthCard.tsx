/**
 * The frame of the signed-out screens: one heading, a form, and an alert line that reads out a
 * refusal as soon as it appears. The form cannot be sent twice while a request is on its way.
 */
import type { ComponentChildren } from 'preact'
import { useInbox } from '../context'

interface AuthCardProps {
  title: string
  intro?: string | undefined
  error: string
  busy: boolean
  submitLabel: string
  onSubmit: () => void
  children: ComponentChildren
  footer?: ComponentChildren
}

export function AuthCard({ title, intro, error, busy, submitLabel, onSubmit, children, footer }: AuthCardProps) {
  const { strings } = useInbox()
  return (
    <main class="auth">
      <form
        class="card"
        aria-labelledby="auth-title"
        aria-busy={busy}
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          if (!busy) onSubmit()
        }}
      >
        <p class="brand">{strings.appName}</p>
        <h1 id="auth-title">{title}</h1>
        {intro && <p class="intro">{intro}</p>}
        {children}
        <p class="form-error" role="alert">
          {error}
        </p>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? strings.working : submitLabel}
        </button>
        {footer}
      </form>
    </main>
  )
}

interface FieldProps {
  id: string
  label: string
  type: 'email' | 'password' | 'text'
  value: string
  onInput: (value: string) => void
  autoComplete: string
  hint?: string | undefined
  required?: boolean
}

export function Field({ id, label, type, value, onInput, autoComplete, hint, required = true }: FieldProps) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={id}
        type={type}
        value={value}
        required={required}
        autoComplete={autoComplete}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  )
}
