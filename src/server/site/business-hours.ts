/**
 * Business hours: a weekly schedule in one time zone, checked once at start, and the pure
 * question the server asks of it — open at this instant, and when does that next change?
 * Wall-clock times are turned into instants with the zone's offset at that moment (`Intl`), so a
 * schedule follows daylight-saving changes.
 */

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const
export type Weekday = (typeof WEEKDAYS)[number]

/** What a site owner writes: `{ timeZone: 'Asia/Jakarta', days: { mon: '09:00-17:00', sat: '10:00-12:00,13:00-15:00' } }`. */
export interface BusinessHoursOptions {
  /** IANA time zone of the hours, e.g. `Asia/Jakarta`. */
  timeZone: string
  /** Per weekday, comma-separated `HH:MM-HH:MM` ranges (`24:00` ends at midnight); a day not named is closed. */
  days: Partial<Record<Weekday, string>>
}

/** Minutes after local midnight, [start, end), per weekday (0 = Sunday). */
export interface Schedule {
  timeZone: string
  days: readonly (readonly (readonly [number, number])[])[]
}

export interface HoursState {
  open: boolean
  /** The next instant the answer changes; undefined when it never does (always open or closed). */
  nextChange: number | undefined
}

const RANGE = /^([01]\d|2[0-4]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/
const DAY_MS = 86_400_000

/** Checks and compiles the option; throws a RangeError that names what is wrong. */
export function parseBusinessHours(options: BusinessHoursOptions): Schedule {
  if (typeof options !== 'object' || options === null) throw new TypeError('businessHours must be { timeZone, days }')
  const { timeZone, days } = options
  try {
    new Intl.DateTimeFormat('en-US', { timeZone }).format(0)
  } catch {
    throw new RangeError(`businessHours.timeZone: "${String(timeZone)}" is not a time zone this system knows (e.g. Asia/Jakarta)`)
  }
  if (typeof days !== 'object' || days === null) throw new TypeError('businessHours.days must name weekdays, e.g. { mon: "09:00-17:00" }')
  for (const key of Object.keys(days)) {
    if (!(WEEKDAYS as readonly string[]).includes(key)) throw new RangeError(`businessHours.days: unknown day "${key}" (use ${WEEKDAYS.join(', ')})`)
  }
  return { timeZone, days: WEEKDAYS.map((day) => parseDay(day, days[day])) }
}

function parseDay(day: Weekday, text: string | undefined): [number, number][] {
  if (text === undefined || text.trim() === '') return []
  const ranges = text.split(',').map((part) => {
    const match = RANGE.exec(part.trim())
    const start = match && Number(match[1]) * 60 + Number(match[2])
    const end = match && Number(match[3]) * 60 + Number(match[4])
    if (start === null || end === null || start >= end || end > 1440) {
      throw new RangeError(`businessHours.days.${day}: "${part.trim()}" is not a range like 09:00-17:00`)
    }
    return [start, end] as [number, number]
  })
  return ranges.sort((a, b) => a[0] - b[0])
}

/**
 * Parses the compact text form the command line takes: `mon-fri 09:00-17:00; sat 10:00-14:00`
 * (days or day ranges, then comma-separated ranges; `;` between groups).
 */
export function parseWeeklyText(text: string): Partial<Record<Weekday, string>> {
  const days: Partial<Record<Weekday, string>> = {}
  for (const group of text.split(';').map((part) => part.trim()).filter(Boolean)) {
    const [names, ...hours] = group.split(/\s+/)
    if (!names || hours.length === 0) throw new RangeError(`"${group}" needs days and hours, e.g. "mon-fri 09:00-17:00"`)
    for (const name of names.split(',')) {
      const [from, to = from] = name.toLowerCase().split('-') as [string, string?]
      const first = WEEKDAYS.indexOf(from as Weekday)
      const last = WEEKDAYS.indexOf(to as Weekday)
      if (first < 0 || last < 0) throw new RangeError(`"${name}" is not a day or a range of days (mon, tue, …, or mon-fri)`)
      for (let i = first; ; i = (i + 1) % 7) {
        days[WEEKDAYS[i]!] = [days[WEEKDAYS[i]!], hours.join('')].filter(Boolean).join(',')
        if (i === last) break
      }
    }
  }
  return days
}

/** Whether the schedule is open at `now`, and when that next changes. Pure. */
export function hoursAt(schedule: Schedule, now: number): HoursState {
  const open = isOpen(schedule, now)
  const local = wallClock(schedule.timeZone, now)
  // Every range boundary of this week and the next, in order; the first that flips the answer.
  for (let offset = 0; offset <= 7; offset++) {
    const date = local.date + offset * DAY_MS
    const weekday = (local.weekday + offset) % 7
    for (const [start, end] of schedule.days[weekday]!) {
      for (const minute of [start, end]) {
        const at = instantOf(schedule.timeZone, date + minute * 60_000)
        if (at > now && isOpen(schedule, at) !== open) return { open, nextChange: at }
      }
    }
  }
  return { open, nextChange: undefined }
}

function isOpen(schedule: Schedule, at: number): boolean {
  const { weekday, minutes } = wallClock(schedule.timeZone, at)
  return schedule.days[weekday]!.some(([start, end]) => minutes >= start && minutes < end)
}

const formats = new Map<string, Intl.DateTimeFormat>()

/** The zone's wall clock at `at`: the local midnight as a UTC-based day number (ms), weekday and minutes. */
function wallClock(timeZone: string, at: number): { date: number; weekday: number; minutes: number } {
  let format = formats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' })
    formats.set(timeZone, format)
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((part) => [part.type, Number(part.value)]))
  const date = Date.UTC(parts.year!, parts.month! - 1, parts.day!)
  return { date, weekday: new Date(date).getUTCDay(), minutes: parts.hour! * 60 + parts.minute! }
}

/** The instant a wall-clock time (as UTC-based ms) names in the zone. */
function instantOf(timeZone: string, wall: number): number {
  const offsetAt = (at: number) => {
    const local = wallClock(timeZone, at)
    return local.date + local.minutes * 60_000 - Math.floor(at / 60_000) * 60_000
  }
  const first = wall - offsetAt(wall)
  return wall - offsetAt(first)
}
