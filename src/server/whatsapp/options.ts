/**
 * The WhatsApp channel's settings (`createChatServer({ whatsapp })`, or the WHATSAPP_* variables
 * of `obrolan start`): the business phone number that receives and answers, the token that sends
 * through the Cloud API, the app secret that signs Meta's webhooks, the verify token Meta's
 * webhook setup sends back, and the API's base URL (a test points it at a fake).
 */
export interface WhatsAppOptions {
  /** The business number's id (`metadata.phone_number_id` in webhooks). */
  phoneNumberId: string
  /** A system user's access token with whatsapp_business_messaging. */
  accessToken: string
  /** The Meta app's secret: checks `X-Hub-Signature-256` on every webhook. */
  appSecret: string
  /** What you typed as "Verify token" when you set the webhook up in the Meta app. */
  verifyToken: string
  /** Default `https://graph.facebook.com/v21.0`. */
  apiUrl?: string
}

export const DEFAULT_WHATSAPP_API = 'https://graph.facebook.com/v21.0'

export type ResolvedWhatsApp = Required<WhatsAppOptions>

export function resolveWhatsApp(options: WhatsAppOptions): ResolvedWhatsApp {
  for (const name of ['phoneNumberId', 'accessToken', 'appSecret', 'verifyToken'] as const) {
    if (typeof options[name] !== 'string' || options[name].trim() === '') throw new TypeError(`whatsapp.${name} must be a non-empty string`)
  }
  const apiUrl = (options.apiUrl ?? DEFAULT_WHATSAPP_API).replace(/\/+$/, '')
  if (!/^https?:\/\/[^\s]+$/.test(apiUrl)) throw new TypeError(`whatsapp.apiUrl must be an http(s) URL, got "${options.apiUrl}"`)
  return { ...options, apiUrl }
}
