/**
 * Every setting `obrolan start` reads, in one table: its environment variable, its flag, what it
 * expects, and its default. The README's configuration table is this table, and a bad value stops
 * the start with a message naming the variable and what is expected.
 */
import { DEFAULT_UPLOAD_TYPES, MAX_UPLOAD_BYTES, UPLOAD_TYPES } from '../protocol'
import { LOG_LEVELS } from '../server/logger'
import { INVALID, invalid, setting, SettingError, type Settings, type SettingSpec } from './setting-spec'
import { SITE_SETTINGS } from './site-settings'

export { SettingError, type Settings, type SettingSpec }

const CORE_SETTINGS = [
  setting({
    key: 'port',
    env: 'PORT',
    flag: '--port',
    expects: 'a port number from 1 to 65535',
    default: '3000',
    describe: 'the port to listen on',
    parse: (raw) => (/^\d{1,5}$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 65535 ? Number(raw) : invalid()),
  }),
  setting({
    key: 'host',
    env: 'HOST',
    flag: '--host',
    expects: 'an interface address or host name, such as 127.0.0.1 or 0.0.0.0',
    default: '0.0.0.0',
    describe: 'the interface to listen on',
    parse: (raw) => (/^[\w.:[\]-]+$/.test(raw) ? raw : invalid()),
  }),
  setting({
    key: 'publicUrl',
    env: 'PUBLIC_URL',
    flag: '--public-url',
    expects: 'the http(s) origin users reach the server at, such as https://chat.example.com',
    default: 'http://localhost:<port>',
    describe: 'where users reach the server (behind a proxy: the proxy’s address); links and the snippet use it',
    parse: (raw) => {
      const url = new URL(raw)
      if ((url.protocol !== 'http:' && url.protocol !== 'https:') || (url.pathname !== '/' && url.pathname !== '')) invalid()
      return url.origin
    },
  }),
  setting({
    key: 'dataDir',
    env: 'OBROLAN_DATA_DIR',
    flag: '--data-dir',
    expects: 'a folder path',
    default: './obrolan-data',
    describe: 'where the SQLite database, the generated secret and the files sent in chats live (created when missing)',
    parse: (raw) => (raw.trim() ? raw : invalid()),
  }),
  setting({
    key: 'databaseUrl',
    env: 'DATABASE_URL',
    flag: '--database-url',
    expects: 'sqlite:<path> or postgres://user@host:5432/db',
    default: 'sqlite:<data dir>/obrolan.db',
    describe: 'where conversations and accounts are kept',
    parse: (raw) => (/^(sqlite:.+|postgres(ql)?:\/\/.+)$/.test(raw) ? raw : invalid()),
  }),
  setting({
    key: 'redisUrl',
    env: 'REDIS_URL',
    flag: '--redis-url',
    expects: 'redis://host:6379 or rediss://…',
    default: 'none',
    describe: 'several nodes: Redis carries fan-out and presence (needs OBROLAN_SECRET and PostgreSQL)',
    parse: (raw) => (/^rediss?:\/\/.+/.test(raw) ? raw : invalid()),
  }),
  setting({
    key: 'secret',
    env: 'OBROLAN_SECRET',
    flag: '--secret',
    expects: 'at least 32 characters (e.g. openssl rand -base64 32)',
    default: 'generated once, kept in <data dir>/secret',
    describe: 'signs visitor credentials and agents’ socket tokens; every node of a site needs the same',
    parse: (raw) => (raw.length >= 32 ? raw : invalid()),
  }),
  setting({
    key: 'identitySecret',
    env: 'OBROLAN_IDENTITY_SECRET',
    flag: '--identity-secret',
    expects: 'at least 32 characters',
    default: 'none (identify is refused)',
    describe: 'the secret your backend signs logged-in users’ ids with (signUserId)',
    parse: (raw) => (raw.length >= 32 ? raw : invalid()),
  }),
  setting({
    key: 'allowedOrigins',
    env: 'OBROLAN_ALLOWED_ORIGINS',
    flag: '--allowed-origins',
    expects: 'comma-separated origins such as https://shop.example.com,https://www.shop.example.com, or *',
    default: 'none (only the server’s own pages)',
    describe: 'the sites whose pages may open the chat',
    parse: (raw) => {
      const origins = raw.split(',').map((origin) => origin.trim()).filter(Boolean)
      if (origins.length === 0) invalid()
      if (origins.length === 1 && origins[0] === '*') return ['*']
      for (const origin of origins) if (!/^https?:\/\/[^/?#\s]+\/?$/.test(origin)) invalid()
      return origins
    },
  }),
  setting({
    key: 'logLevel',
    env: 'LOG_LEVEL',
    flag: '--log-level',
    expects: `one of ${LOG_LEVELS.join(', ')}`,
    default: 'info',
    describe: 'how much the server logs (JSON lines on stdout)',
    parse: (raw) => ((LOG_LEVELS as readonly string[]).includes(raw) ? raw : invalid()),
  }),
  setting({
    key: 'trustProxy',
    env: 'TRUST_PROXY',
    flag: '--trust-proxy',
    expects: 'true, false, or the number of proxies in front',
    default: 'false',
    describe: 'read client addresses from X-Forwarded-For (behind nginx or Caddy: true)',
    parse: (raw) => (raw === 'true' ? true : raw === 'false' ? false : /^\d+$/.test(raw) ? Number(raw) : invalid()),
  }),
  setting({
    key: 'whatsappPhoneNumberId',
    env: 'WHATSAPP_PHONE_NUMBER_ID',
    flag: '--whatsapp-phone-number-id',
    expects: 'the phone number id from the Meta app (digits)',
    default: 'none (no WhatsApp)',
    describe: 'WhatsApp: the business number that receives and answers (with the three below)',
    parse: (raw) => (/^\d{5,32}$/.test(raw) ? raw : invalid()),
  }),
  setting({
    key: 'whatsappAccessToken',
    env: 'WHATSAPP_ACCESS_TOKEN',
    flag: '--whatsapp-access-token',
    expects: 'a Cloud API access token',
    default: 'none',
    describe: 'WhatsApp: the token replies are sent with',
    parse: (raw) => (/^\S{10,}$/.test(raw) ? raw : invalid()),
  }),
  setting({
    key: 'whatsappAppSecret',
    env: 'WHATSAPP_APP_SECRET',
    flag: '--whatsapp-app-secret',
    expects: 'the Meta app secret',
    default: 'none',
    describe: 'WhatsApp: checks the signature (X-Hub-Signature-256) of every webhook',
    parse: (raw) => (/^\S{8,}$/.test(raw) ? raw : invalid()),
  }),
  setting({
    key: 'whatsappVerifyToken',
    env: 'WHATSAPP_VERIFY_TOKEN',
    flag: '--whatsapp-verify-token',
    expects: 'the verify token you typed in the Meta app',
    default: 'none',
    describe: 'WhatsApp: answers the webhook verification',
    parse: (raw) => (/^\S{8,}$/.test(raw) ? raw : invalid()),
  }),
  setting({
    key: 'whatsappApiUrl',
    env: 'WHATSAPP_API_URL',
    flag: '--whatsapp-api-url',
    expects: 'an http(s) URL',
    default: 'https://graph.facebook.com/v21.0',
    describe: 'WhatsApp: the Cloud API’s base URL',
    parse: (raw) => (/^https?:\/\/\S+$/.test(raw) ? raw : invalid()),
  }),
  setting({
    key: 'uploadMaxBytes',
    env: 'OBROLAN_UPLOAD_MAX_MB',
    flag: '--upload-max-mb',
    expects: 'a number of megabytes from 0.1 to 1024',
    default: '10',
    describe: 'the largest file visitors and agents may send',
    parse: (raw) => {
      const megabytes = Number(raw)
      return /^\d+(\.\d+)?$/.test(raw) && megabytes >= 0.1 && megabytes <= 1024 ? Math.round(megabytes * 1024 * 1024) : invalid()
    },
  }),
  setting({
    key: 'uploadTypes',
    env: 'OBROLAN_UPLOAD_TYPES',
    flag: '--upload-types',
    expects: `comma-separated name endings from ${Object.values(UPLOAD_TYPES).flat().join(', ')}, or none`,
    default: 'all of them',
    describe: 'the kinds of file that may be sent (none turns files off)',
    parse: (raw) => {
      if (raw.trim() === 'none') return []
      const endings = raw.split(',').map((ending) => ending.trim().replace(/^\./, '').toLowerCase()).filter(Boolean)
      const types = endings.map((ending) => Object.keys(UPLOAD_TYPES).find((type) => UPLOAD_TYPES[type]!.includes(ending)) ?? invalid())
      return types.length ? [...new Set(types)] : invalid()
    },
  }),
] as const satisfies readonly SettingSpec[]

export const SETTINGS = [...CORE_SETTINGS, ...SITE_SETTINGS] as const satisfies readonly SettingSpec[]

const DEFAULTS: Settings = {
  port: 3000,
  host: '0.0.0.0',
  publicUrl: undefined,
  dataDir: './obrolan-data',
  databaseUrl: undefined,
  redisUrl: undefined,
  secret: undefined,
  identitySecret: undefined,
  allowedOrigins: [],
  logLevel: 'info',
  trustProxy: false,
  whatsappPhoneNumberId: undefined,
  whatsappAccessToken: undefined,
  whatsappAppSecret: undefined,
  whatsappVerifyToken: undefined,
  whatsappApiUrl: undefined,
  businessHours: undefined,
  timeZone: 'UTC',
  awayEmail: 'optional',
  replyMinutes: undefined,
  preChatForm: undefined,
  siteUrl: undefined,
  smtpUrl: undefined,
  emailFrom: undefined,
  emailReplyTo: undefined,
  emailAfterMinutes: 10,
  uploadMaxBytes: MAX_UPLOAD_BYTES,
  uploadTypes: [...DEFAULT_UPLOAD_TYPES],
}

/**
 * Settings from the environment, with flags (`--port 3000` or `--port=3000`) winning. Unknown
 * flags are refused, so a typo is not silently ignored.
 */
export function readSettings(env: Record<string, string | undefined>, flags: Record<string, string>): Settings {
  const settings: Settings = { ...DEFAULTS }
  for (const flag of Object.keys(flags)) {
    if (!SETTINGS.some((spec) => spec.flag === flag)) throw new Error(`Unknown option ${flag}; see obrolan --help`)
  }
  for (const spec of SETTINGS as readonly SettingSpec[]) {
    const raw = flags[spec.flag] ?? env[spec.env]
    if (raw === undefined || raw === '') continue
    try {
      ;(settings as unknown as Record<string, unknown>)[spec.key] = spec.parse(raw)
    } catch (error) {
      // A checker's own words say what exactly is wrong (a bad day, an unknown time zone).
      const reason = error instanceof Error && error.message !== INVALID ? error.message : undefined
      throw new SettingError(spec, raw, reason)
    }
  }
  return settings
}
