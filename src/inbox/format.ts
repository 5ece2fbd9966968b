/**
 * Times and days as an agent reads them, in the inbox's language and the browser's time zone:
 * `09:05` in a bubble, "Today" / "Yesterday" / "Monday, 3 March 2025" between days, and in the
 * list the time for today, the weekday within a week, else the date.
 */
import type { InboxStrings } from './i18n'

export interface Formatters {
  /** `09:05` */
  time(at: number): string
  /** The separator above a day's first message. */
  day(at: number, now: number): string
  /** The short time beside a conversation in the list. */
  listTime(at: number, now: number): string
  /** Date and time in full, for a tooltip or an expiry. */
  full(at: number): string
}

const DAY_MS = 86_400_000

/** A local calendar day as one number (y·10⁴ + m·10² + d): equal for two times on the same day. */
export function dayKey(at: number): number {
  const date = new Date(at)
  return date.getFullYear() * 10_000 + (date.getMonth() + 1) * 100 + date.getDate()
}

/** Whole local days from `at` to `now` (0 today, 1 yesterday), exact across DST changes. */
export function daysAgo(at: number, now: number): number {
  const midnight = (time: number) => {
    const d = new Date(time)
    return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate())
  }
  return Math.round((midnight(now) - midnight(at)) / DAY_MS)
}

export function createFormatters(locale: string, strings: InboxStrings): Formatters {
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' })
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'short' })
  const shortDate = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' })
  const shortDateYear = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' })
  const longDate = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
  const full = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })
  return {
    time: (at) => time.format(at),
    day(at, now) {
      const ago = daysAgo(at, now)
      return ago === 0 ? strings.today : ago === 1 ? strings.yesterday : longDate.format(at)
    },
    listTime(at, now) {
      const ago = daysAgo(at, now)
      if (ago <= 0) return time.format(at)
      if (ago < 7) return weekday.format(at)
      return new Date(at).getFullYear() === new Date(now).getFullYear() ? shortDate.format(at) : shortDateYear.format(at)
    },
    full: (at) => full.format(at),
  }
}
