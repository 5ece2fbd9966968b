export interface BackoffOptions {
  /** Delay ceiling of the first retry, in ms. */
  minMs: number
  /** No retry waits longer than this, in ms. */
  maxMs: number
}

export const DEFAULT_BACKOFF: BackoffOptions = { minMs: 500, maxMs: 30_000 }

/**
 * Exponential backoff with full jitter: a uniform delay in [0, min(max, min·2^attempt)].
 * Full jitter spreads a crowd of clients that lost the same server, so they do not come back
 * in one thundering wave. `attempt` counts from 0.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const exponent = Math.min(Math.max(attempt, 0), 30)
  const ceiling = Math.min(options.maxMs, options.minMs * 2 ** exponent)
  return Math.floor(random() * ceiling)
}
