/**
 * Which seqs a history page covers. Seqs are dense (1…lastSeq, never reused), so a page is a
 * range and every store can answer it the same way: the memory store slices an array, the Redis
 * store asks for exactly these hash fields. Keeping the arithmetic here keeps the stores alike.
 */
import type { PageQuery } from './store'

export interface PageRange {
  /** First and last seq of the page, inclusive; `from > to` means an empty page. */
  from: number
  to: number
  hasMore: boolean
}

const EMPTY: PageRange = { from: 1, to: 0, hasMore: false }

export function pageRange(query: PageQuery, lastSeq: number): PageRange {
  const limit = Math.max(0, Math.floor(query.limit))
  // The candidate range is the open interval (lower, upper) of seqs.
  const lower = Math.max(0, query.afterSeq ?? 0)
  const upper = Math.min(lastSeq + 1, query.beforeSeq ?? lastSeq + 1)
  if (upper - lower <= 1) return EMPTY

  if (query.afterSeq !== undefined) {
    const to = Math.min(upper - 1, lower + limit)
    return { from: lower + 1, to, hasMore: to < upper - 1 }
  }
  const to = upper - 1
  const from = Math.max(lower + 1, to - limit + 1)
  return { from, to, hasMore: from > lower + 1 }
}
