/**
 * The settings of what a site tells its visitors (business hours, the away e-mail, the pre-chat
 * form) and of the e-mail follow-up; part of `obrolan start`'s table (`settings.ts`).
 */
import { parseBusinessHours, parseWeeklyText } from '../server/site/business-hours'
import { resolveSite, type PreChatFormOptions } from '../server/site/site-options'
import { invalid, positiveMinutes, setting, type SettingSpec } from './setting-spec'

export const SITE_SETTINGS = [
  setting({
    key: 'businessHours',
    env: 'OBROLAN_BUSINESS_HOURS',
    flag: '--business-hours',
    expects: 'days and hours such as "mon-fri 09:00-17:00; sat 10:00-14:00"',
    default: 'none (always open)',
    describe: 'when the team answers, in OBROLAN_TIME_ZONE; outside them the widget says when a reply can be expected',
    parse: (raw) => {
      const days = parseWeeklyText(raw)
      parseBusinessHours({ timeZone: 'UTC', days })
      return days
    },
  }),
  setting({
    key: 'timeZone',
    env: 'OBROLAN_TIME_ZONE',
    flag: '--time-zone',
    expects: 'an IANA time zone such as Asia/Jakarta',
    default: 'UTC',
    describe: 'the time zone of the business hours',
    parse: (raw) => parseBusinessHours({ timeZone: raw, days: {} }).timeZone,
  }),
  setting({
    key: 'awayEmail',
    env: 'OBROLAN_AWAY_EMAIL',
    flag: '--away-email',
    expects: 'off, optional or required',
    default: 'optional',
    describe: 'while nobody can answer, ask visitors for an e-mail address to reply to',
    parse: (raw) => (raw === 'off' || raw === 'optional' || raw === 'required' ? raw : invalid()),
  }),
  setting({
    key: 'replyMinutes',
    env: 'OBROLAN_REPLY_MINUTES',
    flag: '--reply-minutes',
    expects: 'a number of minutes',
    default: 'none',
    describe: 'how soon a reply usually comes while agents are online (the widget says so)',
    parse: positiveMinutes,
  }),
  setting({
    key: 'preChatForm',
    env: 'OBROLAN_PRE_CHAT_FORM',
    flag: '--pre-chat-form',
    expects: 'JSON such as {"name":"required","email":"optional","fields":[{"id":"order","label":"Order number"}]}',
    default: 'none',
    describe: 'what the widget asks before the first message',
    parse: (raw) => {
      const form = JSON.parse(raw) as PreChatFormOptions
      resolveSite({ preChatForm: form })
      return form
    },
  }),
  setting({
    key: 'siteUrl',
    env: 'OBROLAN_SITE_URL',
    flag: '--site-url',
    expects: 'your site’s http(s) address, such as https://toko.example',
    default: 'PUBLIC_URL',
    describe: 'the e-mail follow-up links here when the visitor’s page is not known, and is named after its host',
    parse: (raw) => (/^https?:\/\/[^\s]+$/.test(raw) ? raw : invalid()),
  }),
  setting({
    key: 'smtpUrl',
    env: 'SMTP_URL',
    flag: '--smtp-url',
    expects: 'smtp://user:password@host:587 or smtps://user:password@host:465',
    default: 'none (no e-mail)',
    describe: 'e-mail agents’ unread replies to visitors who left (needs OBROLAN_EMAIL_FROM)',
    parse: (raw) => (/^smtps?:\/\/.+/.test(raw) ? raw : invalid()),
  }),
  setting({
    key: 'emailFrom',
    env: 'OBROLAN_EMAIL_FROM',
    flag: '--email-from',
    expects: 'a sender such as "Toko Kopi <help@toko.example>"',
    default: 'none',
    describe: 'who the follow-up e-mail is from',
    parse: (raw) => (raw.includes('@') ? raw : invalid()),
  }),
  setting({
    key: 'emailReplyTo',
    env: 'OBROLAN_EMAIL_REPLY_TO',
    flag: '--email-reply-to',
    expects: 'an e-mail address',
    default: 'none (answers go to the chat)',
    describe: 'where a visitor’s answer to the follow-up e-mail goes',
    parse: (raw) => (raw.includes('@') ? raw : invalid()),
  }),
  setting({
    key: 'emailAfterMinutes',
    env: 'OBROLAN_EMAIL_AFTER_MINUTES',
    flag: '--email-after-minutes',
    expects: 'a number of minutes',
    default: '10',
    describe: 'how long a visitor must have been gone, the reply unread, before it is e-mailed',
    parse: positiveMinutes,
  }),
] as const satisfies readonly SettingSpec[]
