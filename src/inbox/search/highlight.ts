/**
 * Which parts of a found message to mark: the server finds messages whose words begin with the
 * query's words (letters and digits only, any case), so those word beginnings are marked.
 */
export interface TextPart {
  text: string
  match: boolean
}

/** The query's words, as the server reads them. */
export function queryWords(query: string): string[] {
  return query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []
}

export function highlightParts(text: string, query: string): TextPart[] {
  const words = queryWords(query)
  const parts: TextPart[] = []
  let from = 0
  for (const word of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const lower = word[0].toLowerCase()
    const length = Math.max(0, ...words.filter((w) => lower.startsWith(w)).map((w) => w.length))
    if (length === 0) continue
    if (word.index > from) parts.push({ text: text.slice(from, word.index), match: false })
    parts.push({ text: text.slice(word.index, word.index + length), match: true })
    from = word.index + length
  }
  if (from < text.length) parts.push({ text: text.slice(from), match: false })
  return parts
}
