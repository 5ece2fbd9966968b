/**
 * The field schemas every protocol schema is built from, shared by what the client checks
 * (`schemas.ts`) and what only the server checks (`request-schemas.ts`).
 */
import * as v from 'valibot'
import { CONTACT_LIMITS, CONTEXT_LIMITS, MAX_ID_LENGTH, MAX_PAGE } from './constants'
import { FIELD_ID } from './contact-rules'
import { isWellFormed } from './text-rules'

/** Ids are compared and stored as strings everywhere; a lone surrogate would not survive every store. */
export const id = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID_LENGTH), v.check(isWellFormed, 'must be well-formed Unicode'))
/**
 * Seqs, change numbers, watermarks and counts: the SQL stores keep them as 32-bit integers, and a
 * number past 2^53 would equal its own successor (a message with seq 1e308 would be followed by
 * another with the same seq).
 */
export const MAX_SEQ = 2 ** 31 - 1
export const seq = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_SEQ))
export const time = v.pipe(v.number(), v.finite())
export const name = v.optional(v.pipe(v.string(), v.maxLength(200)))
export const email = v.optional(v.pipe(v.string(), v.maxLength(320)))
export const role = v.picklist(['visitor', 'agent'])
export const limit = v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_PAGE)))
export const conversationStatus = v.picklist(['open', 'pending', 'closed'])

const bounded = (max: number) => v.pipe(v.string(), v.maxLength(max))
const pageVisit = v.object({
  url: bounded(CONTEXT_LIMITS.url),
  title: v.optional(bounded(CONTEXT_LIMITS.title)),
  at: v.pipe(v.number(), v.finite()),
})

/** What a visitor's browser reports; the same bounds on the way in and the way out. */
export const visitorContext = v.pipe(
  // An array is an object to JavaScript; it is not a context.
  v.custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), 'must be an object'),
  v.object({
  page: v.optional(pageVisit),
  pages: v.optional(v.pipe(v.array(pageVisit), v.maxLength(CONTEXT_LIMITS.pages))),
  referrer: v.optional(bounded(CONTEXT_LIMITS.url)),
  locale: v.optional(bounded(35)),
  timeZone: v.optional(bounded(64)),
  userAgent: v.optional(bounded(CONTEXT_LIMITS.text)),
  firstSeenAt: v.optional(v.pipe(v.number(), v.finite())),
  visits: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
  }),
)

/** What a visitor tells about itself; the server also checks the address's form and the field ids it knows. */
export const visitorContact = v.pipe(
  v.custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), 'must be an object'),
  v.object({
  name: v.optional(bounded(CONTACT_LIMITS.name)),
  email: v.optional(bounded(CONTACT_LIMITS.email)),
  fields: v.optional(
    v.pipe(
      v.record(v.pipe(v.string(), v.regex(FIELD_ID)), bounded(CONTACT_LIMITS.value)),
      v.check((fields) => Object.keys(fields).length <= CONTACT_LIMITS.fields, `at most ${CONTACT_LIMITS.fields} fields`),
    ),
  ),
  }),
)
