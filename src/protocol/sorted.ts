/**
 * Binary search over arrays kept in ascending order, shared by the client (timelines ordered by
 * seq) and the server (each role's seqs, for unread counts).
 */

/** Index of the first item whose key is greater than `value`; `sorted` ascends by key. */
export function firstIndexAbove<T>(sorted: readonly T[], value: number, keyOf: (item: T) => number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (keyOf(sorted[mid] as T) > value) hi = mid
    else lo = mid + 1
  }
  return lo
}

const self = (n: number): number => n

/** How many numbers in an ascending array are greater than `value`. */
export function countAbove(sorted: readonly number[], value: number): number {
  return sorted.length - firstIndexAbove(sorted, value, self)
}
