/**
 * `obrolan start`: the whole product on one port — the chat server with agent accounts, the
 * inbox at /inbox and the widget files at /widget/ — configured from the environment (or flags),
 * stored durably (SQLite in the data folder unless DATABASE_URL says otherwise), stopped cleanly
 * on SIGINT or SIGTERM.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createChatServer, type ChatServer, type WhatsAppOptions } from '../server'
import { defaultLogger } from '../server/logger'
import { ensureDataDir, loadOrCreateSecret } from './data-dir'
import type { Settings } from './settings'

export interface Console {
  out(line: string): void
  err(line: string): void
}

/** dist/, where the built inbox and widget files sit beside this file once bundled. */
const DIST = fileURLToPath(new URL('.', import.meta.url))

export function databaseUrlOf(settings: Settings): string {
  return settings.databaseUrl ?? `sqlite:${resolve(settings.dataDir, 'obrolan.db')}`
}

export async function start(settings: Settings, console: Console): Promise<ChatServer> {
  if (settings.redisUrl && !settings.secret) {
    throw new Error('REDIS_URL needs OBROLAN_SECRET: every node of a site must sign visitors’ credentials with the same secret (generate one with: openssl rand -base64 32)')
  }
  if (settings.redisUrl && !settings.databaseUrl?.startsWith('postgres')) {
    throw new Error('REDIS_URL needs DATABASE_URL=postgres://…: several nodes must share one database (SQLite is one file on one machine)')
  }
  const whatsapp = whatsappOf(settings)
  if (Boolean(settings.smtpUrl) !== Boolean(settings.emailFrom)) {
    throw new Error('SMTP_URL and OBROLAN_EMAIL_FROM go together: the follow-up e-mail needs a relay and a sender')
  }
  const databaseUrl = databaseUrlOf(settings)
  if (databaseUrl.startsWith('sqlite:') || !settings.secret) ensureDataDir(settings.dataDir)
  const secret = settings.secret ?? loadOrCreateSecret(settings.dataDir).secret
  const publicUrl = settings.publicUrl ?? `http://localhost:${settings.port}`
  const inbox = resolve(DIST, 'inbox')
  const server = await createChatServer({
    port: settings.port,
    host: settings.host,
    publicUrl,
    database: databaseUrl,
    ...(settings.redisUrl && { redis: settings.redisUrl }),
    secret,
    ...(settings.identitySecret && { identitySecret: settings.identitySecret }),
    allowedOrigins: settings.allowedOrigins[0] === '*' ? '*' : settings.allowedOrigins,
    trustProxy: settings.trustProxy,
    logger: defaultLogger(settings.logLevel),
    accounts: true,
    uploads:
      settings.uploadTypes.length === 0
        ? false
        : { directory: resolve(settings.dataDir, 'uploads'), maxBytes: settings.uploadMaxBytes, types: settings.uploadTypes },
    ...(whatsapp && { whatsapp }),
    ...(settings.businessHours && { businessHours: { timeZone: settings.timeZone, days: settings.businessHours } }),
    awayEmail: settings.awayEmail,
    ...(settings.replyMinutes !== undefined && { replyMinutes: settings.replyMinutes }),
    ...(settings.preChatForm && { preChatForm: settings.preChatForm }),
    ...(settings.smtpUrl &&
      settings.emailFrom && {
        email: {
          smtp: settings.smtpUrl,
          from: settings.emailFrom,
          afterMinutes: settings.emailAfterMinutes,
          ...(settings.emailReplyTo && { replyTo: settings.emailReplyTo }),
          ...(settings.siteUrl && { siteUrl: settings.siteUrl }),
        },
      }),
    files: { widget: DIST, ...(existsSync(resolve(inbox, 'index.html')) && { inbox }) },
  })
  for (const line of banner(server, publicUrl, existsSync(resolve(inbox, 'index.html')))) console.out(line)
  if (whatsapp) console.out(`WhatsApp: point the Meta app's webhook at ${publicUrl}/channels/whatsapp/webhook (subscribe to "messages")\n`)
  return server
}

/** The WhatsApp channel's settings: all four of its WHATSAPP_* variables, or none. */
function whatsappOf(settings: Settings): WhatsAppOptions | undefined {
  const given = {
    WHATSAPP_PHONE_NUMBER_ID: settings.whatsappPhoneNumberId,
    WHATSAPP_ACCESS_TOKEN: settings.whatsappAccessToken,
    WHATSAPP_APP_SECRET: settings.whatsappAppSecret,
    WHATSAPP_VERIFY_TOKEN: settings.whatsappVerifyToken,
  }
  const missing = Object.entries(given).filter(([, value]) => value === undefined).map(([name]) => name)
  if (missing.length === 4) return undefined
  if (missing.length > 0) throw new Error(`WhatsApp needs ${missing.join(', ')} as well (or none of the WHATSAPP_* variables)`)
  return {
    phoneNumberId: settings.whatsappPhoneNumberId!,
    accessToken: settings.whatsappAccessToken!,
    appSecret: settings.whatsappAppSecret!,
    verifyToken: settings.whatsappVerifyToken!,
    ...(settings.whatsappApiUrl && { apiUrl: settings.whatsappApiUrl }),
  }
}

/** What a site owner needs after the first start: where things are, and the snippet to paste. */
export function banner(server: ChatServer, publicUrl: string, hasInbox: boolean): string[] {
  const snippet = [
    `<script>(function(w){w.Obrolan=w.Obrolan||function(){(w.Obrolan.q=w.Obrolan.q||[]).push(arguments)}})(window);Obrolan('boot',{server:'${publicUrl}'})</script>`,
    `<script src="${publicUrl}/widget/obrolan.iife.js" async></script>`,
  ]
  return [
    '',
    `Obrolan is running on ${server.url} (public address ${publicUrl})`,
    `  agent inbox   ${hasInbox ? `${publicUrl}/inbox/` : '(not built: run npm run build)'}`,
    `  widget        ${publicUrl}/widget/obrolan.iife.js`,
    `  health        ${publicUrl}/health`,
    ...(server.setupUrl ? ['', 'No agent account exists yet. Create the owner account here (the link works once, for 24 hours):', `  ${server.setupUrl}`] : []),
    '',
    'Paste this before </body> on your site (and add the site to OBROLAN_ALLOWED_ORIGINS):',
    ...snippet.map((line) => `  ${line}`),
    ...warningLines(server),
    '',
  ]
}

function warningLines(server: ChatServer): string[] {
  // The setup link has its own lines above.
  const warnings = server.warnings.filter((warning) => !server.setupUrl || !warning.includes(server.setupUrl))
  return warnings.length ? ['', 'Warnings:', ...warnings.map((warning) => `  - ${warning}`)] : []
}
