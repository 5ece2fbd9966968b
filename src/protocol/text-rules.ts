/**
 * Rules for text that both sides apply: the client checks before it sends, so the user hears at
 * once, and the server checks again, because not every client is ours.
 */

/** True when the string has no lone surrogate, i.e. it survives any UTF-8 round trip unchanged. */
export function isWellFormed(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0xd800 || unit > 0xdfff) continue
    const next = text.charCodeAt(i + 1)
    if (unit > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return false
    i++
  }
  return true
}

/**
 * A character that shows: not whitespace, a control, or a format character such as a zero-width
 * space, a joiner, the BOM or a bidirectional control. Text without one is empty. Tested without
 * copying the text, which every send does.
 */
const VISIBLE = /[^\s\p{Cc}\p{Cf}]/u

/** Controls and bidirectional overrides never belong in a name; other format characters (joiners in emoji) may. */
const NAME_UNSAFE = /[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu

export type TextProblem = { code: 'bad_request' | 'too_long'; message: string }

/** Why a message text cannot be sent, or undefined when it can. */
export function messageTextProblem(text: string, maxLength: number): TextProblem | undefined {
  if (!VISIBLE.test(text)) return { code: 'bad_request', message: 'Message text is empty' }
  if (text.length > maxLength) return { code: 'too_long', message: `Message text is ${text.length} characters; the limit is ${maxLength}` }
  if (!isWellFormed(text)) return { code: 'bad_request', message: 'Message text is not well-formed Unicode (a lone surrogate)' }
  return undefined
}

/** Longest display name kept, in UTF-16 code units. */
export const MAX_NAME_LENGTH = 80

/** Names a visitor may not take: they would pass for the site's own staff. */
const RESERVED_VISITOR_NAMES = new Set(['agent', 'admin', 'administrator', 'support', 'staff', 'system', 'operator', 'moderator', 'obrolan'])

/**
 * A display name as it is shown: controls and bidi overrides removed, whitespace collapsed,
 * trimmed, cut to `MAX_NAME_LENGTH` (never inside a surrogate pair). Undefined when nothing
 * visible is left, or when a visitor claims a staff word such as "Agent".
 */
export function normalizeDisplayName(name: string, role: 'visitor' | 'agent'): string | undefined {
  const clean = truncate(name.normalize('NFC').replace(NAME_UNSAFE, '').replace(/\s+/gu, ' ').trim(), MAX_NAME_LENGTH).trim()
  if (!VISIBLE.test(clean) || !isWellFormed(clean)) return undefined
  if (role === 'visitor' && RESERVED_VISITOR_NAMES.has(clean.toLowerCase())) return undefined
  return clean
}

/** The first `length` code units of `text`, one fewer when that would split a surrogate pair. */
export function truncate(text: string, length: number): string {
  if (text.length <= length) return text
  return text.slice(0, isHighSurrogateAt(text, length - 1) ? length - 1 : length)
}

function isHighSurrogateAt(text: string, index: number): boolean {
  const unit = text.charCodeAt(index)
  return unit >= 0xd800 && unit <= 0xdbff
}
