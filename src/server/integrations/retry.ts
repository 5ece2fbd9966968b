/**
 * When a failed delivery is tried again: exponential backoff from `firstMs`, capped at `maxMs`,
 * with jitter (a random half to whole of the delay, so receivers that come back are not hit by
 * every sender at once), until the delivery is `retryForMs` old: the attempt that fails after
 * that gives up. With the defaults a delivery is tried for a day: about 10 s, 20 s, 40 s, … then
 * hourly, 30 attempts or so.
 */
export interface RetryPolicy {
  firstMs: number
  maxMs: number
  /** How long after it was queued a delivery is still retried. */
  retryForMs: number
}

export const DEFAULT_RETRY: RetryPolicy = { firstMs: 10_000, maxMs: 3_600_000, retryForMs: 24 * 3_600_000 }

/** When to try again after attempt number `attempts` failed at `now`, or `undefined` to give up. */
export function nextAttemptAt(policy: RetryPolicy, attempts: number, createdAt: number, now: number, random: () => number): number | undefined {
  if (now - createdAt >= policy.retryForMs) return undefined
  const delay = Math.min(policy.maxMs, policy.firstMs * 2 ** Math.max(0, attempts - 1))
  return now + Math.round(delay * (0.5 + random() / 2))
}
