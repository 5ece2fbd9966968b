/**
 * What a search looks for, the same way for every store: the query's words (runs of letters and
 * digits, lower-cased), each of which must begin a word of the message. The SQL engines' indexes
 * tokenize alike (SQLite FTS5 `unicode61`, PostgreSQL's `simple` configuration); the memory and
 * Redis stores scan with `matchesWords`.
 */
import type { WireMessage } from '../protocol'

/** More words than this in one query are ignored: each one costs the index a lookup. */
export const MAX_SEARCH_WORDS = 8

const WORD = /[\p{L}\p{N}]+/gu

/** The distinct words of a query, lower-cased, at most `MAX_SEARCH_WORDS`. */
export function searchWords(text: string): string[] {
  const words = new Set((text.match(WORD) ?? []).map((word) => word.toLowerCase()))
  return [...words].slice(0, MAX_SEARCH_WORDS)
}

/** True when every one of `words` begins some word of `text`. */
export function matchesWords(text: string, words: readonly string[]): boolean {
  if (words.length === 0) return false
  const own = (text.match(WORD) ?? []).map((word) => word.toLowerCase())
  return words.every((word) => own.some((candidate) => candidate.startsWith(word)))
}

/** Search results' order: newest `createdAt` first, then room id and seq, both descending. */
export function compareNewestFirst(a: WireMessage, b: WireMessage): number {
  return b.createdAt - a.createdAt || (a.roomId < b.roomId ? 1 : a.roomId > b.roomId ? -1 : 0) || b.seq - a.seq
}
