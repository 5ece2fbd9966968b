/**
 * Sends one webhook delivery: the event's body as queued (the exact bytes that are signed), with
 * the event's id and type, a timestamp and the signature in headers. A 2xx answer delivers it;
 * anything else (another status, no answer, a timeout) is tried again later, as receivers may be
 * down for a while. The first 500 characters of the answer are kept for the delivery log.
 */
import type { OutboxJob } from './outbox-store'
import type { AttemptResult } from './outbox-worker'
import { webhookSignature } from './webhook-signature'

export const RESPONSE_KEPT = 500

export async function deliverWebhook(job: OutboxJob, target: { url: string; secret: string }, nowMs: number, signal: AbortSignal): Promise<AttemptResult> {
  const timestamp = Math.floor(nowMs / 1000)
  try {
    const res = await fetch(target.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Obrolan-Webhooks/1',
        'X-Obrolan-Event': job.eventType,
        'X-Obrolan-Event-Id': job.eventId,
        'X-Obrolan-Timestamp': String(timestamp),
        'X-Obrolan-Signature': webhookSignature(target.secret, timestamp, job.body),
      },
      body: job.body,
      redirect: 'manual',
      signal,
    })
    const response = (await res.text()).slice(0, RESPONSE_KEPT)
    if (res.status >= 200 && res.status < 300) return { outcome: 'delivered', status: res.status, response }
    return { outcome: 'retry', status: res.status, response, error: `the receiver answered ${res.status}` }
  } catch (error) {
    const reason = signal.aborted ? String((signal.reason as Error | undefined)?.message ?? 'aborted') : describe(error)
    return { outcome: 'retry', error: reason }
  }
}

/** fetch's "fetch failed" says nothing; its cause (ECONNREFUSED, ENOTFOUND, …) does. */
function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error)
}
