/**
 * A stand-in for Meta's side of the WhatsApp Business Cloud API, on a loopback port: it takes our
 * server's replies at `POST /v21.0/{phone-number-id}/messages` (recording each, answering as
 * `mode` says), and plays Meta's webhooks into our server, signed with the app secret as Meta
 * signs them: a customer's message, a status of one of our replies.
 */
import { createHmac } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface SentReply {
  phoneNumberId: string
  authorization: string | undefined
  body: { messaging_product: string; to: string; type: string; text: { body: string } }
  wamid?: string
}

/** `ok`: accepted; `refuse`: 400 with the 24-hour-window error; `down`: 503. */
export type CloudMode = 'ok' | 'refuse' | 'down'

export const OUTSIDE_WINDOW = {
  message: '(#131047) Re-engagement message',
  type: 'OAuthException',
  code: 131047,
  error_data: { messaging_product: 'whatsapp', details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' },
  fbtrace_id: 'AbCdEf',
}

export interface FakeCloudApi {
  /** What to give our server as `whatsapp.apiUrl`. */
  apiUrl: string
  sent: SentReply[]
  attempts: number
  mode: CloudMode
  /** Decides per attempt instead of `mode` when set. */
  decide?: (attempt: number) => CloudMode
  close(): Promise<void>
}

export async function startFakeCloudApi(): Promise<FakeCloudApi> {
  let wamids = 0
  const api: FakeCloudApi = { apiUrl: '', sent: [], attempts: 0, mode: 'ok', close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
  const server: Server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const match = /^\/v21\.0\/([^/]+)\/messages$/.exec(req.url ?? '')
      res.setHeader('Content-Type', 'application/json')
      if (req.method !== 'POST' || !match) {
        res.statusCode = 404
        return res.end(JSON.stringify({ error: { message: 'Unknown path', code: 803 } }))
      }
      api.attempts++
      const mode = api.decide?.(api.attempts) ?? api.mode
      const reply: SentReply = { phoneNumberId: decodeURIComponent(match[1]!), authorization: req.headers.authorization, body: JSON.parse(raw) as SentReply['body'] }
      api.sent.push(reply)
      if (mode === 'down') {
        res.statusCode = 503
        return res.end(JSON.stringify({ error: { message: 'Service temporarily unavailable', code: 2 } }))
      }
      if (mode === 'refuse') {
        res.statusCode = 400
        return res.end(JSON.stringify({ error: OUTSIDE_WINDOW }))
      }
      reply.wamid = `wamid.out${++wamids}`
      res.end(JSON.stringify({ messaging_product: 'whatsapp', contacts: [{ input: reply.body.to, wa_id: reply.body.to }], messages: [{ id: reply.wamid }] }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  api.apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v21.0`
  return api
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
  })
}

/** Meta's webhook call into our server: the body as Meta sends it, signed with the app secret. */
export async function metaWebhook(serverUrl: string, appSecret: string, body: object, signature?: string): Promise<Response> {
  const raw = JSON.stringify(body)
  return fetch(`${serverUrl}/channels/whatsapp/webhook`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signature ?? `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}` },
    body: raw,
  })
}

/** A customer's text message, in the field notes' shape. */
export function customerMessage(phoneNumberId: string, waId: string, name: string, wamid: string, text: string): object {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WHATSAPP_BUSINESS_ACCOUNT_ID',
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '6281234567890', phone_number_id: phoneNumberId },
              contacts: [{ profile: { name }, wa_id: waId }],
              messages: [{ from: waId, id: wamid, timestamp: '1698048000', type: 'text', text: { body: text } }],
            },
            field: 'messages',
          },
        ],
      },
    ],
  }
}

/** A status of one of our replies (`sent`, `delivered`, `read`, `failed`). */
export function statusUpdate(phoneNumberId: string, waId: string, wamid: string, status: string, errors?: object[]): object {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WHATSAPP_BUSINESS_ACCOUNT_ID',
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '6281234567890', phone_number_id: phoneNumberId },
              statuses: [{ id: wamid, status, timestamp: '1698048100', recipient_id: waId, ...(errors && { errors }) }],
            },
            field: 'messages',
          },
        ],
      },
    ],
  }
}
