/**
 * The site's pre-chat form, before the first message: name, e-mail and the site's own fields
 * (text, or a choice among options), each optional or required as the server says. What the
 * visitor gives becomes the conversation's contact for agents to see; it is kept in the browser
 * and sent with the next connection when offline, so the form never has to be filled twice.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import type { FieldRequirement, PreChatForm as Form, VisitorContact } from '../index'
import { isEmailAddress } from '../protocol/contact-rules'
import { useWidget } from './context'
import { errorText } from './error-text'
import { fill, type WidgetStrings } from './i18n'

interface PreChatFormProps {
  form: Form
  /** The panel is open: the first field takes the focus (as the message field would). */
  open: boolean
  onDone: () => void
}

interface Field {
  id: string
  label: string
  required: boolean
  type: 'text' | 'email' | 'choice'
  options?: string[] | undefined
}

function fieldsOf(form: Form, strings: WidgetStrings): Field[] {
  const builtIn = (id: 'name' | 'email', label: string, requirement: FieldRequirement | undefined): Field[] =>
    requirement ? [{ id, label, required: requirement === 'required', type: id === 'email' ? 'email' : 'text' }] : []
  return [
    ...builtIn('name', strings.nameLabel, form.name),
    ...builtIn('email', strings.emailLabel, form.email),
    ...form.fields.map((field) => ({ id: field.id, label: field.label, required: field.required, type: field.options ? ('choice' as const) : ('text' as const), options: field.options })),
  ]
}

/** Why the answers cannot go yet, per field; empty when they can. */
export function formProblems(fields: readonly Field[], values: Readonly<Record<string, string>>, strings: WidgetStrings): Record<string, string> {
  const problems: Record<string, string> = {}
  for (const field of fields) {
    const value = (values[field.id] ?? '').trim()
    if (field.required && value === '') problems[field.id] = fill(strings.fieldRequired, { field: field.label })
    else if (field.type === 'email' && value !== '' && !isEmailAddress(value)) problems[field.id] = strings.emailInvalid
  }
  return problems
}

function contactOf(fields: readonly Field[], values: Readonly<Record<string, string>>): VisitorContact {
  const contact: VisitorContact = {}
  const custom: Record<string, string> = {}
  for (const field of fields) {
    const value = (values[field.id] ?? '').trim()
    if (value === '') continue
    if (field.id === 'name' || field.id === 'email') contact[field.id] = value
    else custom[field.id] = value
  }
  if (Object.keys(custom).length > 0) contact.fields = custom
  return contact
}

export function PreChatForm({ form, open, onDone }: PreChatFormProps) {
  const { client, strings } = useWidget()
  const formRef = useRef<HTMLFormElement>(null)
  useEffect(() => {
    if (open) formRef.current?.querySelector<HTMLElement>('input, select')?.focus()
  }, [open])
  const fields = fieldsOf(form, strings)
  const [values, setValues] = useState<Record<string, string>>(() => {
    const known = client.contact.get()
    return { name: known?.name ?? '', email: known?.email ?? '', ...known?.fields }
  })
  const [problems, setProblems] = useState<Record<string, string>>({})
  const [error, setError] = useState('')

  const submit = async (event: Event) => {
    event.preventDefault()
    const found = formProblems(fields, values, strings)
    setProblems(found)
    if (Object.keys(found).length > 0) return
    try {
      const contact = contactOf(fields, values)
      if (Object.keys(contact).length > 0) await client.setContact(contact)
      onDone()
    } catch (e) {
      setError(errorText(strings, e))
    }
  }

  return (
    <form ref={formRef} class="pre-chat" onSubmit={(event) => void submit(event)} noValidate>
      <h3 class="pre-chat-title">{strings.preChatTitle}</h3>
      <p class="pre-chat-intro">{strings.preChatIntro}</p>
      {fields.map((field) => {
        const id = `obrolan-field-${field.id}`
        const problem = problems[field.id]
        const common = {
          id,
          class: 'input',
          required: field.required,
          'aria-invalid': problem ? ('true' as const) : undefined,
          'aria-describedby': problem ? `${id}-error` : undefined,
        }
        const set = (value: string) => {
          setValues((current) => ({ ...current, [field.id]: value }))
          // What the visitor is fixing stops being called wrong; the rest waits for the next try.
          if (problem) setProblems(({ [field.id]: _fixed, ...rest }) => rest)
        }
        return (
          <div class="form-row" key={field.id}>
            <label for={id}>
              {field.label}
              {!field.required && <span class="optional"> ({strings.optional})</span>}
            </label>
            {field.type === 'choice' ? (
              <select {...common} value={values[field.id] ?? ''} onChange={(event) => set(event.currentTarget.value)}>
                <option value="">{strings.choose}</option>
                {field.options!.map((option) => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </select>
            ) : (
              <input
                {...common}
                type={field.type}
                autocomplete={field.id === 'name' ? 'name' : field.id === 'email' ? 'email' : 'off'}
                value={values[field.id] ?? ''}
                onInput={(event) => set(event.currentTarget.value)}
              />
            )}
            {problem && (
              <p class="field-error" id={`${id}-error`}>
                {problem}
              </p>
            )}
          </div>
        )
      })}
      <div class="alert" role="alert">
        {/* A field's problem shows under the field; this tells a screen reader of the first. */}
        {error || <span class="sr-only">{Object.values(problems)[0] ?? ''}</span>}
      </div>
      <button type="submit" class="send start">
        {strings.startChat}
      </button>
    </form>
  )
}
