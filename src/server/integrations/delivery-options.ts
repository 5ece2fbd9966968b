/** How the outbox delivers (webhooks, WhatsApp replies): `createChatServer({ deliveries })`. */
import { DEFAULT_RETRY, type RetryPolicy } from './retry'

export interface DeliveryOptions {
  /** How long one attempt may take before it counts as failed. Default 10000. */
  timeoutMs?: number
  /** The first retry's delay; each next one doubles. Default 10000. */
  firstRetryMs?: number
  /** The longest delay between retries. Default 3600000 (an hour). */
  maxRetryMs?: number
  /** How long a delivery is retried before it is given up. Default 86400000 (a day). */
  retryForMs?: number
  /** How often the outbox is looked at for due deliveries. Default 1000. */
  pollMs?: number
  /** Deliveries in flight at once, per server node. Default 8. */
  concurrency?: number
}

export interface ResolvedDeliveries {
  policy: RetryPolicy
  timeoutMs: number
  pollMs: number
  concurrency: number
}

export function resolveDeliveries(options: DeliveryOptions = {}): ResolvedDeliveries {
  const positive = (name: keyof DeliveryOptions, fallback: number): number => {
    const value = options[name] ?? fallback
    if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`deliveries.${name} must be a positive number, got ${String(value)}`)
    return value
  }
  return {
    policy: { firstMs: positive('firstRetryMs', DEFAULT_RETRY.firstMs), maxMs: positive('maxRetryMs', DEFAULT_RETRY.maxMs), retryForMs: positive('retryForMs', DEFAULT_RETRY.retryForMs) },
    timeoutMs: positive('timeoutMs', 10_000),
    pollMs: positive('pollMs', 1_000),
    concurrency: Math.floor(positive('concurrency', 8)),
  }
}
