/**
 * Message text → text and link segments. Pure: the components render segments as text nodes and
 * `<a>` elements, never as HTML. Only `http://`, `https://` and `mailto:` become links; every
 * other scheme (`javascript:`, `data:`, `ftp:`, …) stays text.
 */

export type TextSegment = { type: 'text'; text: string } | { type: 'link'; text: string; href: string }

// A candidate starts at a scheme and runs to whitespace or a character that never belongs to a URL
// typed in chat. (No lookbehind: Safari before 16.4 cannot parse it, and the IIFE targets ES2019.)
const CANDIDATE = /(?:https?:\/\/|mailto:)[^\s<>"]+/gi
// "xhttps://…" or "1mailto:…" is one word, not a link.
const WORD_CHAR = /[\p{L}\p{N}]/u
const TRAILING_PUNCTUATION = /[.,;:!?'"*_~…]$/
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' }

const count = (text: string, char: string) => text.split(char).length - 1

/**
 * Drops sentence punctuation from the end of a candidate: "see https://x.io/a." links to
 * https://x.io/a. A closing bracket stays when it balances one inside the URL
 * (https://en.wikipedia.org/wiki/Foo_(bar)), and is dropped when it closes the sentence's own.
 */
function trimTrailing(url: string): string {
  for (;;) {
    const last = url.slice(-1)
    const opener = CLOSERS[last]
    if (TRAILING_PUNCTUATION.test(url)) url = url.slice(0, -1)
    else if (opener !== undefined && count(url, last) > count(url, opener)) url = url.slice(0, -1)
    else return url
  }
}

function isLinkable(url: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.protocol === 'mailto:') return parsed.pathname.length > 0
  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== ''
}

export function autolink(text: string): TextSegment[] {
  const segments: TextSegment[] = []
  let textStart = 0
  const pushText = (end: number) => {
    if (end > textStart) segments.push({ type: 'text', text: text.slice(textStart, end) })
  }
  const candidates = new RegExp(CANDIDATE.source, CANDIDATE.flags)
  for (let match = candidates.exec(text); match; match = candidates.exec(text)) {
    const start = match.index
    if (start > 0 && WORD_CHAR.test(text.charAt(start - 1))) continue
    const url = trimTrailing(match[0])
    if (!isLinkable(url)) continue
    pushText(start)
    segments.push({ type: 'link', text: url, href: url })
    textStart = start + url.length
  }
  pushText(text.length)
  return segments
}
