import { describe, expect, it } from 'vitest'
import { parseArgs } from '../../src/cli/args'
import { readSettings, SETTINGS } from '../../src/cli/settings'

describe('obrolan’s settings', () => {
  it('reads the environment, lets flags win, and keeps the defaults otherwise', () => {
    const settings = readSettings(
      { PORT: '8080', PUBLIC_URL: 'https://chat.toko.example/', OBROLAN_ALLOWED_ORIGINS: 'https://toko.example, https://www.toko.example', TRUST_PROXY: 'true' },
      { '--port': '9090', '--log-level': 'warn' },
    )
    expect(settings).toMatchObject({
      port: 9090,
      host: '0.0.0.0',
      publicUrl: 'https://chat.toko.example',
      allowedOrigins: ['https://toko.example', 'https://www.toko.example'],
      trustProxy: true,
      logLevel: 'warn',
      dataDir: './obrolan-data',
      databaseUrl: undefined,
    })
    expect(readSettings({ TRUST_PROXY: '2' }, {}).trustProxy).toBe(2)
    expect(readSettings({}, {})).toMatchObject({ uploadMaxBytes: 10 * 1024 * 1024, uploadTypes: expect.arrayContaining(['image/png', 'application/zip']) })
    expect(readSettings({ OBROLAN_UPLOAD_MAX_MB: '2.5', OBROLAN_UPLOAD_TYPES: 'JPG, .png,jpeg,pdf' }, {})).toMatchObject({
      uploadMaxBytes: 2.5 * 1024 * 1024,
      uploadTypes: ['image/jpeg', 'image/png', 'application/pdf'],
    })
    expect(readSettings({ OBROLAN_UPLOAD_TYPES: 'none' }, {}).uploadTypes).toEqual([])
  })

  it('reads the site’s hours, away settings, form and e-mail', () => {
    const settings = readSettings(
      {
        OBROLAN_BUSINESS_HOURS: 'mon-fri 09:00-12:00, 13:00-17:00; sat 10:00-14:00',
        OBROLAN_TIME_ZONE: 'Asia/Jakarta',
        OBROLAN_AWAY_EMAIL: 'required',
        OBROLAN_REPLY_MINUTES: '5',
        OBROLAN_PRE_CHAT_FORM: '{"name":"required","fields":[{"id":"order","label":"Order number"}]}',
        SMTP_URL: 'smtps://help:secret@mail.toko.example:465',
        OBROLAN_EMAIL_FROM: 'Toko Kopi <help@toko.example>',
      },
      { '--email-after-minutes': '2.5' },
    )
    expect(settings).toMatchObject({
      businessHours: { mon: '09:00-12:00,13:00-17:00', fri: '09:00-12:00,13:00-17:00', sat: '10:00-14:00' },
      timeZone: 'Asia/Jakarta',
      awayEmail: 'required',
      replyMinutes: 5,
      preChatForm: { name: 'required', fields: [{ id: 'order', label: 'Order number' }] },
      smtpUrl: 'smtps://help:secret@mail.toko.example:465',
      emailFrom: 'Toko Kopi <help@toko.example>',
      emailAfterMinutes: 2.5,
    })
    expect(readSettings({}, {})).toMatchObject({ awayEmail: 'optional', timeZone: 'UTC', emailAfterMinutes: 10, businessHours: undefined })
  })

  it('stops at a bad value, naming the variable and what it expects', () => {
    const bad: [Record<string, string>, RegExp][] = [
      [{ PORT: '70000' }, /^PORT \(or --port\) must be a port number from 1 to 65535; got "70000"$/],
      [{ PUBLIC_URL: 'chat.toko.example' }, /^PUBLIC_URL .* must be the http\(s\) origin/],
      [{ PUBLIC_URL: 'https://toko.example/chat' }, /^PUBLIC_URL/],
      [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL .* must be sqlite:<path> or postgres:\/\//],
      [{ REDIS_URL: 'localhost:6379' }, /^REDIS_URL/],
      [{ OBROLAN_SECRET: 'short' }, /^OBROLAN_SECRET .* at least 32 characters/],
      [{ OBROLAN_ALLOWED_ORIGINS: 'toko.example' }, /^OBROLAN_ALLOWED_ORIGINS/],
      [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL .* one of fatal, error, warn, info, debug, trace, silent/],
      [{ TRUST_PROXY: 'yes' }, /^TRUST_PROXY/],
      [{ OBROLAN_UPLOAD_MAX_MB: '0' }, /^OBROLAN_UPLOAD_MAX_MB .* from 0.1 to 1024/],
      [{ OBROLAN_UPLOAD_TYPES: 'png,svg' }, /^OBROLAN_UPLOAD_TYPES .* comma-separated name endings from jpg, jpeg, png/],
      [{ OBROLAN_BUSINESS_HOURS: 'weekdays 9-5' }, /^OBROLAN_BUSINESS_HOURS .* got "weekdays 9-5" \("weekdays" is not a day or a range of days/],
      [{ OBROLAN_BUSINESS_HOURS: 'mon 17:00-09:00' }, /^OBROLAN_BUSINESS_HOURS .*\(businessHours.days.mon: "17:00-09:00" is not a range/],
      [{ OBROLAN_TIME_ZONE: 'Jakarta' }, /^OBROLAN_TIME_ZONE .* an IANA time zone/],
      [{ OBROLAN_AWAY_EMAIL: 'maybe' }, /^OBROLAN_AWAY_EMAIL .* off, optional or required/],
      [{ OBROLAN_PRE_CHAT_FORM: '{"fields":[{"id":"Order","label":"Order"}]}' }, /^OBROLAN_PRE_CHAT_FORM .*\(preChatForm.fields\[0\].id must be lower-case/],
      [{ OBROLAN_PRE_CHAT_FORM: 'name=required' }, /^OBROLAN_PRE_CHAT_FORM .* must be JSON/],
      [{ SMTP_URL: 'mail.toko.example' }, /^SMTP_URL .* smtp:\/\//],
      [{ OBROLAN_EMAIL_AFTER_MINUTES: '0' }, /^OBROLAN_EMAIL_AFTER_MINUTES .* a number of minutes/],
    ]
    for (const [env, message] of bad) expect(() => readSettings(env, {}), JSON.stringify(env)).toThrow(message)
    expect(() => readSettings({}, { '--prot': '1' })).toThrow('Unknown option --prot; see obrolan --help')
  })

  it('has a variable and a flag for every setting, each documented in the README table', async () => {
    const { readFileSync } = await import('node:fs')
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    for (const spec of SETTINGS) {
      expect(readme, spec.env).toContain(`| \`${spec.env}\` | \`${spec.flag}\` |`)
    }
  })

  it('takes WhatsApp’s four settings together or not at all, naming the missing ones', async () => {
    const { start } = await import('../../src/cli/start')
    const settings = readSettings({ WHATSAPP_PHONE_NUMBER_ID: '106540352242922', WHATSAPP_APP_SECRET: 'app-secret-123' }, {})
    await expect(start(settings, { out: () => {}, err: () => {} })).rejects.toThrow('WhatsApp needs WHATSAPP_ACCESS_TOKEN, WHATSAPP_VERIFY_TOKEN as well (or none of the WHATSAPP_* variables)')
    expect(() => readSettings({ WHATSAPP_PHONE_NUMBER_ID: 'phone' }, {})).toThrow(/^WHATSAPP_PHONE_NUMBER_ID .* must be the phone number id/)
    expect(() => readSettings({ WHATSAPP_API_URL: 'graph.example' }, {})).toThrow(/^WHATSAPP_API_URL/)
  })

  it('reads words, --flag value, --flag=value and switches', () => {
    expect(parseArgs(['agents', 'add', 'a@b.example', '--name', 'Ayu Lestari', '--password-stdin', '--port=3001'])).toEqual({
      words: ['agents', 'add', 'a@b.example'],
      flags: { '--name': 'Ayu Lestari', '--port': '3001' },
      switches: new Set(['--password-stdin']),
    })
    expect(() => parseArgs(['start', '--port'])).toThrow('--port needs a value')
  })
})
