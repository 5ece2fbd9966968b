/**
 * What a site tells its visitors' widgets (see `SiteInfo` in the protocol): business hours, what
 * to ask while nobody can answer, how soon a reply usually comes, and the pre-chat form. Checked
 * once at start, with an error that names the option.
 */
import { CONTACT_LIMITS, FIELD_ID, type FieldRequirement, type PreChatField, type PreChatForm } from '../../protocol'
import { parseBusinessHours, type BusinessHoursOptions, type Schedule } from './business-hours'

/** A custom field of the pre-chat form; `required` defaults to false. */
export interface PreChatFieldOptions {
  id: string
  label: string
  required?: boolean
  options?: readonly string[]
}

export interface PreChatFormOptions {
  name?: FieldRequirement
  email?: FieldRequirement
  fields?: readonly PreChatFieldOptions[]
}

export interface SiteOptions {
  businessHours?: BusinessHoursOptions
  awayEmail?: 'off' | FieldRequirement
  replyMinutes?: number
  preChatForm?: PreChatFormOptions
}

export interface ResolvedSite {
  schedule: Schedule | undefined
  awayEmail: 'off' | FieldRequirement
  replyMinutes: number | undefined
  preChatForm: PreChatForm | undefined
}

const REQUIREMENTS: readonly unknown[] = ['optional', 'required']

export function resolveSite(options: SiteOptions): ResolvedSite {
  const awayEmail = options.awayEmail ?? 'optional'
  if (awayEmail !== 'off' && !REQUIREMENTS.includes(awayEmail)) throw new RangeError(`awayEmail must be 'off', 'optional' or 'required', got ${String(awayEmail)}`)
  const { replyMinutes } = options
  if (replyMinutes !== undefined && !(typeof replyMinutes === 'number' && replyMinutes > 0 && Number.isFinite(replyMinutes))) {
    throw new RangeError(`replyMinutes must be a positive number of minutes, got ${String(replyMinutes)}`)
  }
  return {
    schedule: options.businessHours === undefined ? undefined : parseBusinessHours(options.businessHours),
    awayEmail,
    replyMinutes,
    preChatForm: options.preChatForm === undefined ? undefined : checkForm(options.preChatForm),
  }
}

function checkForm(form: PreChatFormOptions): PreChatForm {
  for (const key of ['name', 'email'] as const) {
    if (form[key] !== undefined && !REQUIREMENTS.includes(form[key])) throw new RangeError(`preChatForm.${key} must be 'optional' or 'required'`)
  }
  const fields = (form.fields ?? []).map(checkField)
  if (fields.length > CONTACT_LIMITS.fields) throw new RangeError(`preChatForm.fields: at most ${CONTACT_LIMITS.fields} fields`)
  const ids = new Set<string>()
  for (const { id } of fields) {
    if (ids.has(id)) throw new RangeError(`preChatForm.fields: the id "${id}" is used twice`)
    ids.add(id)
  }
  if (form.name === undefined && form.email === undefined && fields.length === 0) throw new RangeError('preChatForm asks for nothing: give name, email or fields')
  return { ...(form.name && { name: form.name }), ...(form.email && { email: form.email }), fields }
}

function checkField(field: PreChatFieldOptions, index: number): PreChatField {
  const where = `preChatForm.fields[${index}]`
  if (typeof field?.id !== 'string' || !FIELD_ID.test(field.id) || field.id === 'name' || field.id === 'email') {
    throw new RangeError(`${where}.id must be lower-case letters, digits, - or _ (at most 32, not "name" or "email"), got ${String(field?.id)}`)
  }
  const label = (text: unknown, what: string) => {
    if (typeof text !== 'string' || text.trim() === '' || text.length > CONTACT_LIMITS.label) throw new RangeError(`${what} must be 1–${CONTACT_LIMITS.label} characters`)
    return text.trim()
  }
  const options = field.options?.map((option, i) => label(option, `${where}.options[${i}]`))
  if (options && (options.length === 0 || options.length > CONTACT_LIMITS.options)) throw new RangeError(`${where}.options: 1–${CONTACT_LIMITS.options} choices`)
  return { id: field.id, label: label(field.label, `${where}.label`), required: field.required === true, ...(options && { options }) }
}
