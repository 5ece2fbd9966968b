/**
 * `/channels/whatsapp/webhook`, the URL the Meta app's webhook points at. GET answers Meta's
 * verification (`hub.mode=subscribe`, `hub.verify_token`, `hub.challenge`); POST takes the
 * notifications, refusing any whose `X-Hub-Signature-256` is not the HMAC-SHA256 of the raw body
 * under the app secret, and answers 200 only once everything in it is stored: Meta retries
 * anything else, which the idempotency keys make safe.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import * as v from 'valibot'
import { schemas } from '../../protocol'
import type { ServerContext } from '../context'
import { fail, ok, type Exchange } from '../http/exchange'
import type { Route } from '../http/router'
import { safeEqual } from '../visitor-token'
import { receive } from './inbound'
import type { MessageLinks } from './message-links'
import type { ResolvedWhatsApp } from './options'
import { webhookBody } from './webhook-body'

/** Meta's notifications are small; a megabyte is far more than any carries. */
const MAX_BODY_BYTES = 1024 * 1024

export function whatsappRoutes(ctx: ServerContext, config: ResolvedWhatsApp, links: MessageLinks): Route[] {
  return [
    {
      methods: ['GET', 'POST'],
      pattern: /^\/channels\/whatsapp\/webhook$/,
      async handle(ex) {
        if (ex.method === 'POST') return notification(ctx, config, links, ex)
        const mode = ex.query.get('hub.mode')
        const token = ex.query.get('hub.verify_token') ?? ''
        const challenge = ex.query.get('hub.challenge') ?? ''
        if (mode !== 'subscribe' || !safeEqual(token, config.verifyToken)) {
          ctx.logger.warn({ mode }, 'a WhatsApp webhook verification was refused: wrong hub.mode or hub.verify_token')
          return fail(ex, 403, 'The verify token does not match', 'forbidden')
        }
        ex.res.statusCode = 200
        ex.res.setHeader('Content-Type', 'text/plain; charset=utf-8')
        ex.res.end(challenge)
      },
    },
  ]
}

async function notification(ctx: ServerContext, config: ResolvedWhatsApp, links: MessageLinks, ex: Exchange): Promise<void> {
  const raw = await readRaw(ex)
  if (raw === undefined) return fail(ex, 413, `The body is larger than ${MAX_BODY_BYTES} bytes`, 'too_large')
  const signature = ex.req.headers['x-hub-signature-256']
  if (typeof signature !== 'string' || !signatureMatches(config.appSecret, raw, signature)) {
    ctx.logger.warn({ signed: typeof signature === 'string' }, 'a WhatsApp webhook was refused: X-Hub-Signature-256 does not match the app secret')
    return fail(ex, 401, 'X-Hub-Signature-256 does not match', 'unauthorized')
  }
  let json: unknown
  try {
    json = JSON.parse(raw.toString('utf8'))
  } catch {
    return fail(ex, 400, 'The body is not valid JSON', 'bad_request')
  }
  const parsed = v.safeParse(webhookBody, json)
  if (!parsed.success) {
    // Signed by Meta but not a shape we read (another product's notification): nothing to store.
    ctx.logger.warn({ reason: schemas.describeIssues(parsed.issues) }, 'a WhatsApp webhook had nothing the channel reads')
    return ok(ex, 'Nothing to store', {})
  }
  await receive(ctx, links, config.phoneNumberId, parsed.output)
  ok(ex, 'Stored', {})
}

function signatureMatches(secret: string, raw: Buffer, signature: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`)
  const given = Buffer.from(signature)
  return expected.length === given.length && timingSafeEqual(expected, given)
}

async function readRaw(ex: Exchange): Promise<Buffer | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of ex.req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) return undefined
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}
