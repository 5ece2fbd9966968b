/**
 * The follow-up e-mail's settings: where to send through (SMTP, with nodemailer), from whom, and
 * how long a visitor must have been gone before an agent's unread reply is e-mailed.
 */

/** nodemailer's SMTP settings, the part a site needs (see nodemailer's SMTP transport). */
export interface SmtpSettings {
  host: string
  port?: number
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  secure?: boolean
  auth?: { user: string; pass: string }
  /** Never upgrade with STARTTLS (a local relay without TLS). */
  ignoreTLS?: boolean
  /** Refuse to send without STARTTLS. */
  requireTLS?: boolean
}

export interface FollowUpEmailOptions {
  /** `smtp://user:pass@mail.example.com:587`, `smtps://…:465`, or the settings as an object. */
  smtp: string | SmtpSettings
  /** The sender, e.g. `Toko Kopi <help@toko.example>`. */
  from: string
  /** Where the visitor's answer by e-mail goes. Default: none (the e-mail says to answer in the chat). */
  replyTo?: string
  /** How long the visitor must have been gone, and the reply unread, before it is e-mailed. Default 10. */
  afterMinutes?: number
  /** The site's name in the subject and text. Default: the host of `siteUrl`, else of `publicUrl`. */
  siteName?: string
  /** Where the link goes when the visitor's page is not known. Default: `publicUrl`. */
  siteUrl?: string
}

export interface ResolvedEmail {
  smtp: string | SmtpSettings
  from: string
  replyTo: string | undefined
  afterMs: number
  siteName: string | undefined
  siteUrl: string | undefined
}

export function resolveEmail(options: FollowUpEmailOptions, publicUrl: string | undefined): ResolvedEmail {
  if (typeof options !== 'object' || options === null) throw new TypeError('email must be { smtp, from, … }')
  const { smtp, from, afterMinutes = 10 } = options
  if (typeof smtp === 'string' ? !/^smtps?:\/\//.test(smtp) : typeof smtp?.host !== 'string') {
    throw new TypeError('email.smtp must be an smtp:// or smtps:// URL, or { host, port, secure, auth }')
  }
  if (typeof from !== 'string' || !from.includes('@')) throw new TypeError('email.from must be an address, e.g. "Toko <help@toko.example>"')
  if (!(typeof afterMinutes === 'number' && afterMinutes > 0 && Number.isFinite(afterMinutes))) {
    throw new RangeError(`email.afterMinutes must be a positive number, got ${String(afterMinutes)}`)
  }
  const siteUrl = options.siteUrl ?? publicUrl
  if (siteUrl !== undefined && !/^https?:\/\//.test(siteUrl)) throw new TypeError(`email.siteUrl must be an http(s) URL, got "${siteUrl}"`)
  return {
    smtp,
    from,
    replyTo: options.replyTo,
    afterMs: afterMinutes * 60_000,
    siteName: options.siteName ?? (siteUrl ? new URL(siteUrl).host : undefined),
    siteUrl,
  }
}
