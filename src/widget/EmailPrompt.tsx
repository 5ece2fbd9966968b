/**
 * Asks for the address a reply can be e-mailed to, while nobody can answer in the chat. Once
 * given, it says where replies go and offers to change it. The address is checked as the server
 * checks it; a refusal is shown in words.
 */
import { useStore } from '@nanostores/preact'
import type { Ref } from 'preact'
import { useState } from 'preact/hooks'
import { isEmailAddress } from '../protocol/contact-rules'
import { useWidget } from './context'
import { errorText } from './error-text'
import { fill } from './i18n'

interface EmailPromptProps {
  required: boolean
  inputRef: Ref<HTMLInputElement>
  /** The address is saved; focus may go back to the message. */
  onSaved: () => void
}

export function EmailPrompt({ required, inputRef, onSaved }: EmailPromptProps) {
  const { client, strings } = useWidget()
  const contact = useStore(client.contact)
  const user = useStore(client.user)
  // An identified visitor's address (from the site) counts as given.
  const known = contact?.email || user?.email
  const [editing, setEditing] = useState(false)
  const [value, setValue] = useState('')
  const [error, setError] = useState('')

  if (known && !editing) {
    return (
      <p class="email-known">
        {fill(strings.emailSaved, { email: known })}{' '}
        <button type="button" class="link-btn" onClick={() => (setValue(known), setEditing(true))}>
          {strings.change}
        </button>
      </p>
    )
  }

  const save = async (event: Event) => {
    event.preventDefault()
    const email = value.trim()
    if (!isEmailAddress(email)) return setError(strings.emailInvalid)
    try {
      await client.setContact({ email })
      setError('')
      setEditing(false)
      onSaved()
    } catch (e) {
      setError(errorText(strings, e))
    }
  }

  return (
    <form class="email-prompt" onSubmit={(event) => void save(event)} noValidate>
      <label for="obrolan-email">
        {required ? strings.emailAskRequired : strings.emailAsk}
        {!required && <span class="optional"> ({strings.optional})</span>}
      </label>
      <div class="field">
        <input
          id="obrolan-email"
          ref={inputRef}
          class="input"
          type="email"
          autocomplete="email"
          value={value}
          placeholder={strings.emailPlaceholder}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'obrolan-email-error' : undefined}
          onInput={(event) => setValue(event.currentTarget.value)}
        />
        <button type="submit" class="send">
          {strings.save}
        </button>
      </div>
      {error && (
        <p class="field-error" id="obrolan-email-error" role="alert">
          {error}
        </p>
      )}
    </form>
  )
}
