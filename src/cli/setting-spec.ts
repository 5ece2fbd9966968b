/**
 * The shape of one `obrolan start` setting (its environment variable, flag, what it expects, its
 * default and how its text is read), and the error that names it when a value is wrong.
 */
import type { Weekday } from '../server/site/business-hours'
import type { PreChatFormOptions } from '../server/site/site-options'

export interface Settings {
  port: number
  host: string
  publicUrl: string | undefined
  dataDir: string
  databaseUrl: string | undefined
  redisUrl: string | undefined
  secret: string | undefined
  identitySecret: string | undefined
  allowedOrigins: string[]
  logLevel: string
  trustProxy: boolean | number
  whatsappPhoneNumberId: string | undefined
  whatsappAccessToken: string | undefined
  whatsappAppSecret: string | undefined
  whatsappVerifyToken: string | undefined
  whatsappApiUrl: string | undefined
  /** Largest file sent with a message, in bytes. */
  uploadMaxBytes: number
  /** The file types accepted (MIME names); `[]` turns uploads off. */
  uploadTypes: string[]
  businessHours: Partial<Record<Weekday, string>> | undefined
  timeZone: string
  awayEmail: 'off' | 'optional' | 'required'
  replyMinutes: number | undefined
  preChatForm: PreChatFormOptions | undefined
  siteUrl: string | undefined
  smtpUrl: string | undefined
  emailFrom: string | undefined
  emailReplyTo: string | undefined
  emailAfterMinutes: number
}

export interface SettingSpec<K extends keyof Settings = keyof Settings> {
  key: K
  env: string
  flag: string
  expects: string
  default: string
  describe: string
  parse(raw: string): Settings[K]
}

export class SettingError extends Error {
  constructor(spec: SettingSpec, raw: string, reason?: string) {
    super(`${spec.env} (or ${spec.flag}) must be ${spec.expects}; got ${JSON.stringify(raw)}${reason ? ` (${reason})` : ''}`)
    this.name = 'SettingError'
  }
}

export function setting<K extends keyof Settings>(spec: SettingSpec<K>): SettingSpec<K> {
  return spec
}

/** Marks a raw value as not what its setting expects; readSettings reports it as a SettingError. */
export const invalid = (): never => {
  throw new Error(INVALID)
}
export const INVALID = 'invalid'
export const positiveMinutes = (raw: string) => (/^\d+(\.\d+)?$/.test(raw) && Number(raw) > 0 ? Number(raw) : invalid())

