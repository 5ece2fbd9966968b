import { describe, expect, it } from 'vitest'
import { hoursAt, parseBusinessHours, parseWeeklyText } from '../../src/server/site/business-hours'

// Monday 2026-03-02 in Jakarta (UTC+7, no daylight saving).
const jakarta = (day: number, time: string) => Date.parse(`2026-03-${String(day).padStart(2, '0')}T${time}:00+07:00`)

describe('business hours', () => {
  const schedule = parseBusinessHours({ timeZone: 'Asia/Jakarta', days: parseWeeklyText('mon-fri 09:00-12:00,13:00-17:00; sat 10:00-14:00') })

  it('is open inside a range and says when it closes', () => {
    expect(hoursAt(schedule, jakarta(2, '09:00'))).toEqual({ open: true, nextChange: jakarta(2, '12:00') })
    expect(hoursAt(schedule, jakarta(2, '11:59'))).toEqual({ open: true, nextChange: jakarta(2, '12:00') })
  })

  it('is closed between ranges, over the night and the weekend, and says when it opens', () => {
    expect(hoursAt(schedule, jakarta(2, '12:00'))).toEqual({ open: false, nextChange: jakarta(2, '13:00') })
    expect(hoursAt(schedule, jakarta(2, '08:59'))).toEqual({ open: false, nextChange: jakarta(2, '09:00') })
    expect(hoursAt(schedule, jakarta(6, '17:00'))).toEqual({ open: false, nextChange: jakarta(7, '10:00') })
    // Saturday after closing: Monday morning.
    expect(hoursAt(schedule, jakarta(7, '14:00'))).toEqual({ open: false, nextChange: jakarta(9, '09:00') })
  })

  it('follows daylight saving: 09:00 in New York is 14:00 UTC in winter and 13:00 UTC in summer', () => {
    const ny = parseBusinessHours({ timeZone: 'America/New_York', days: { mon: '09:00-17:00' } })
    // Sunday 2026-03-01 (EST) → Monday 09:00 EST; Sunday 2026-03-08 is the change → Monday 09:00 EDT.
    expect(hoursAt(ny, Date.parse('2026-03-01T12:00:00Z')).nextChange).toBe(Date.parse('2026-03-02T14:00:00Z'))
    expect(hoursAt(ny, Date.parse('2026-03-08T12:00:00Z')).nextChange).toBe(Date.parse('2026-03-09T13:00:00Z'))
  })

  it('runs through midnight when two days meet, and never changes when always open or never open', () => {
    const allWeek = parseBusinessHours({ timeZone: 'UTC', days: { sun: '00:00-24:00', mon: '00:00-24:00', tue: '00:00-24:00', wed: '00:00-24:00', thu: '00:00-24:00', fri: '00:00-24:00', sat: '00:00-24:00' } })
    expect(hoursAt(allWeek, Date.parse('2026-03-02T23:59:00Z'))).toEqual({ open: true, nextChange: undefined })
    const nights = parseBusinessHours({ timeZone: 'UTC', days: { mon: '20:00-24:00', tue: '00:00-06:00' } })
    expect(hoursAt(nights, Date.parse('2026-03-02T21:00:00Z'))).toEqual({ open: true, nextChange: Date.parse('2026-03-03T06:00:00Z') })
    expect(hoursAt(parseBusinessHours({ timeZone: 'UTC', days: {} }), 0)).toEqual({ open: false, nextChange: undefined })
  })

  it('refuses what it cannot read, naming it', () => {
    expect(() => parseBusinessHours({ timeZone: 'Mars/Olympus', days: {} })).toThrow(/timeZone: "Mars\/Olympus"/)
    expect(() => parseBusinessHours({ timeZone: 'UTC', days: { mon: '17:00-09:00' } })).toThrow(/days.mon: "17:00-09:00"/)
    expect(() => parseBusinessHours({ timeZone: 'UTC', days: { monday: '09:00-17:00' } as never })).toThrow(/unknown day "monday"/)
    expect(() => parseWeeklyText('weekdays 09:00-17:00')).toThrow(/"weekdays" is not a day/)
    expect(parseWeeklyText('sat-sun 10:00-12:00')).toEqual({ sat: '10:00-12:00', sun: '10:00-12:00' })
  })
})
