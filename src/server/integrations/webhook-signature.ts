/**
 * Webhook signatures (README "Webhooks"): `X-Obrolan-Signature: sha256=<hex>`, the HMAC-SHA256
 * under the subscription's secret of `<X-Obrolan-Timestamp>.<raw body>`. The timestamp is signed
 * with the body, so a receiver that refuses old timestamps (5 minutes is usual) refuses replays,
 * and deduplicates what it accepts by the event's id.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

/**
 * What a receiver does, as code (the README shows the same in a few lines): true when `signature`
 * is the body's and `timestamp` (seconds) is within `toleranceS` of `nowS`.
 */
export function verifyWebhook(secret: string, body: string, timestamp: string, signature: string, nowS: number, toleranceS = 300): boolean {
  const seconds = Number(timestamp)
  if (!/^\d+$/.test(timestamp) || Math.abs(nowS - seconds) > toleranceS) return false
  const expected = Buffer.from(webhookSignature(secret, seconds, body))
  const given = Buffer.from(signature)
  return expected.length === given.length && timingSafeEqual(expected, given)
}
