/**
 * Rules for what a visitor tells about itself, applied by the widget before it sends and by the
 * server again (not every client is ours).
 */
import { CONTACT_LIMITS } from './constants'

/** Something@something.tld, without spaces: what a reply can be sent to (not a full RFC 5322 parser). */
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/u

/** Custom field ids: lower-case, short, safe as object keys and in class names. */
export const FIELD_ID = /^[a-z][a-z0-9_-]{0,31}$/

export function isEmailAddress(value: string): boolean {
  return value.length <= CONTACT_LIMITS.email && EMAIL.test(value)
}
