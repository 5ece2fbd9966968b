/**
 * The field schemas every protocol schema is built from, shared by what the client checks
 * (`schemas.ts`) and what only the server checks (`request-schemas.ts`).
 */
import * as v from 'valibot'
import { MAX_ID_LENGTH, MAX_PAGE } from './constants'
import { isWellFormed } from './text-rules'

/** Ids are compared and stored as strings everywhere; a lone surrogate would not survive every store. */
export const id = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID_LENGTH), v.check(isWellFormed, 'must be well-formed Unicode'))
export const seq = v.pipe(v.number(), v.integer(), v.minValue(0))
export const time = v.pipe(v.number(), v.finite())
export const name = v.optional(v.pipe(v.string(), v.maxLength(200)))
export const email = v.optional(v.pipe(v.string(), v.maxLength(320)))
export const role = v.picklist(['visitor', 'agent'])
export const limit = v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_PAGE)))
export const conversationStatus = v.picklist(['open', 'pending', 'closed'])
