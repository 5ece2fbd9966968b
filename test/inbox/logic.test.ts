import { describe, expect, test } from 'vitest'
import { createFormatters, dayKey, daysAgo } from '../../src/inbox/format'
import { fill, listNames, LOCALES, pickInboxLocale } from '../../src/inbox/i18n'

const { en, id } = LOCALES
import { visibleRange, scrollToShow } from '../../src/inbox/list/visible-range'
import { detectArrivals } from '../../src/inbox/notifications/arrivals'
import { focusPlace, shortcutFor, type KeyPress } from '../../src/inbox/shell/shortcuts'
import { moveCursor, totalUnread } from '../../src/inbox/state/conversation-list'
import { parsePreferences, DEFAULT_PREFERENCES } from '../../src/inbox/state/preferences'
import { parseRoute, routeHref } from '../../src/inbox/state/route'
import { conversation } from './fixtures'

const place = (pathname: string, search = '', hash = '') => ({ pathname, search, hash })

describe('routes', () => {
  test.each([
    [place('/inbox/'), { screen: 'inbox' }],
    [place('/inbox'), { screen: 'inbox' }],
    [place('/inbox/', '?c=room-1'), { screen: 'inbox', roomId: 'room-1' }],
    [place('/inbox/', '?view=agents'), { screen: 'agents' }],
    [place('/inbox/', '?view=replies'), { screen: 'replies' }],
    [place('/inbox/setup', '', '#token=abc'), { screen: 'setup', token: 'abc' }],
    [place('/inbox/invite/', '', '#token=a%2Bb'), { screen: 'invite', token: 'a+b' }],
    [place('/inbox/invite'), { screen: 'invite' }],
  ])('%j → %j', (at, route) => {
    expect(parseRoute(at, '/inbox/')).toEqual(route)
  })

  test('links round-trip', () => {
    for (const route of [{ screen: 'inbox' as const }, { screen: 'inbox' as const, roomId: 'a b/c' }, { screen: 'agents' as const }, { screen: 'replies' as const }]) {
      const url = new URL(routeHref(route, '/inbox/'), 'http://x')
      expect(parseRoute(url, '/inbox/')).toEqual(route)
    }
  })
})

describe('preferences', () => {
  test('missing, damaged or strange entries give the defaults field by field', () => {
    expect(parsePreferences(null)).toEqual(DEFAULT_PREFERENCES)
    expect(parsePreferences('{not json')).toEqual(DEFAULT_PREFERENCES)
    expect(parsePreferences('{"sound":false,"locale":"fr","theme":"dark","desktop":"yes"}')).toEqual({ ...DEFAULT_PREFERENCES, sound: false, theme: 'dark' })
  })
})

describe('arrivals', () => {
  const fromVisitor = (roomId: string, seq: number) =>
    conversation(roomId, { lastSeq: seq, lastMessage: { seq, author: { id: `v-${roomId}`, role: 'visitor' }, text: 't', createdAt: seq } })

  test('nothing on the first list; new rooms and higher visitor seqs after it; agents and deletions are not news', () => {
    const first = detectArrivals(undefined, [fromVisitor('a', 1)])
    expect(first.arrivals).toEqual([])
    const next = detectArrivals(first.seen, [fromVisitor('b', 1), fromVisitor('a', 2)])
    expect(next.arrivals.map((a) => [a.kind, a.conversation.roomId])).toEqual([
      ['conversation', 'b'],
      ['message', 'a'],
    ])
    const agent = conversation('a', { lastSeq: 3, lastMessage: { seq: 3, author: { id: 'x', role: 'agent' }, text: 'hi', createdAt: 3 } })
    const deleted = conversation('b', { lastSeq: 2, lastMessage: { seq: 2, author: { id: 'v-b', role: 'visitor' }, text: '', deleted: true, createdAt: 2 } })
    expect(detectArrivals(next.seen, [agent, deleted]).arrivals).toEqual([])
    // The same list again is not news either.
    expect(detectArrivals(next.seen, [fromVisitor('b', 1), fromVisitor('a', 2)]).arrivals).toEqual([])
  })
})

describe('keys', () => {
  const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, altKey: false, ...extra })

  test('letters act outside fields only; arrows and Enter only on the list or the page; Esc everywhere', () => {
    expect(shortcutFor(press('j'), 'page')).toBe('next')
    expect(shortcutFor(press('k'), 'other')).toBe('previous')
    expect(shortcutFor(press('j'), 'field')).toBeUndefined()
    expect(shortcutFor(press('/'), 'list')).toBe('search')
    expect(shortcutFor(press('/'), 'field')).toBeUndefined()
    expect(shortcutFor(press('ArrowDown'), 'list')).toBe('next')
    expect(shortcutFor(press('ArrowDown'), 'other')).toBeUndefined()
    expect(shortcutFor(press('Enter'), 'list')).toBe('open')
    expect(shortcutFor(press('Enter'), 'other')).toBeUndefined()
    expect(shortcutFor(press('Escape'), 'field')).toBe('back')
    expect(shortcutFor(press('j', { ctrlKey: true }), 'page')).toBeUndefined()
    expect(shortcutFor(press('Enter', { isComposing: true }), 'list')).toBeUndefined()
  })

  test('where focus is', () => {
    const list = { contains: (el: unknown) => el === option } as unknown as Element
    const option = { tagName: 'DIV' }
    expect(focusPlace(option as unknown as EventTarget, list)).toBe('list')
    expect(focusPlace({ tagName: 'TEXTAREA' } as unknown as EventTarget, list)).toBe('field')
    expect(focusPlace({ tagName: 'BODY' } as unknown as EventTarget, list)).toBe('page')
    expect(focusPlace({ tagName: 'BUTTON' } as unknown as EventTarget, list)).toBe('other')
    expect(focusPlace(null, list)).toBe('page')
  })
})

describe('the list', () => {
  test('visible rows with overscan, clamped; scrolling to show a row', () => {
    expect(visibleRange(0, 680, 68, 10_000, 5)).toEqual({ start: 0, end: 15 })
    expect(visibleRange(68 * 1000, 680, 68, 10_000, 5)).toEqual({ start: 995, end: 1015 })
    expect(visibleRange(68 * 9999, 680, 68, 10_000, 5)).toEqual({ start: 9994, end: 10_000 })
    expect(visibleRange(0, 680, 68, 3, 5)).toEqual({ start: 0, end: 3 })
    expect(scrollToShow(0, 500, 680, 68)).toBe(0)
    expect(scrollToShow(20, 0, 680, 68)).toBe(21 * 68 - 680)
    expect(scrollToShow(5, 0, 680, 68)).toBe(0)
  })

  test('cursor moves clamped at both ends, unread over conversations not closed', () => {
    const list = [conversation('a'), conversation('b', { status: 'pending', unread: { visitor: 0, agent: 4 } }), conversation('c', { status: 'closed', unread: { visitor: 0, agent: 9 } })]
    expect(moveCursor(list, undefined, 1)).toBe('a')
    expect(moveCursor(list, 'a', 1)).toBe('b')
    expect(moveCursor(list, 'c', 1)).toBe('c')
    expect(moveCursor(list, 'a', -1)).toBe('a')
    expect(moveCursor(list, 'gone', 1)).toBe('a')
    expect(moveCursor([], 'a', 1)).toBeUndefined()
    expect(totalUnread(list)).toBe(5)
  })
})

describe('words and times', () => {
  test('locales: Indonesian by its tags, English otherwise; both languages have every string', () => {
    expect(pickInboxLocale(['id-ID', 'en'])).toBe('id')
    expect(pickInboxLocale(['in'])).toBe('id')
    expect(pickInboxLocale(['fr-FR', 'en-GB'])).toBe('en')
    expect(pickInboxLocale([])).toBe('en')
    expect(Object.keys(id).sort()).toEqual(Object.keys(en).sort())
    for (const [key, value] of Object.entries(id)) expect(value, key).not.toBe('')
  })

  test('slots and name lists', () => {
    expect(fill('{a} and {b} {c}', { a: 1, b: 'x' })).toBe('1 and x {c}')
    expect(listNames(en, ['Sari'])).toBe('Sari')
    expect(listNames(en, ['Sari', 'Budi', 'Ani'])).toBe('Sari, Budi and Ani')
    expect(listNames(id, ['Sari', 'Budi'])).toBe('Sari dan Budi')
  })

  test('days: today, yesterday, then the date; the list shows time, weekday or date', () => {
    const now = new Date(2025, 2, 5, 12, 0).getTime()
    const format = createFormatters('en', en)
    expect(format.day(new Date(2025, 2, 5, 0, 1).getTime(), now)).toBe('Today')
    expect(format.day(new Date(2025, 2, 4, 23, 59).getTime(), now)).toBe('Yesterday')
    expect(format.day(new Date(2025, 2, 1, 9).getTime(), now)).toBe('Saturday, March 1, 2025')
    expect(format.listTime(new Date(2025, 2, 3, 9).getTime(), now)).toBe('Mon')
    expect(format.listTime(new Date(2025, 0, 3, 9).getTime(), now)).toBe('Jan 3')
    expect(format.listTime(new Date(2024, 0, 3, 9).getTime(), now)).toBe('Jan 3, 2024')
    expect(daysAgo(new Date(2025, 2, 30, 23).getTime(), new Date(2025, 2, 31, 1).getTime())).toBe(1)
    expect(dayKey(new Date(2025, 2, 5, 23, 59).getTime())).toBe(dayKey(new Date(2025, 2, 5, 0, 0).getTime()))
    expect(createFormatters('id', id).day(new Date(2025, 2, 4, 8).getTime(), now)).toBe('Kemarin')
  })
})
