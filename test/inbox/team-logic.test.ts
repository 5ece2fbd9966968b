/** The pure parts of what a team shares in the inbox: no DOM. */
import { describe, expect, test } from 'vitest'
import { insertReply, matchReplies, slashQuery, type CannedReply } from '../../src/inbox/canned/slash'
import { assigneeChoices } from '../../src/inbox/conversation/ConversationHeader'
import { parseUserAgent } from '../../src/inbox/conversation/user-agent'
import { localTime, visitorFacts } from '../../src/inbox/conversation/visitor-facts'
import { createFormatters } from '../../src/inbox/format'
import { LOCALES } from '../../src/inbox/i18n'
import { highlightParts } from '../../src/inbox/search/highlight'
import { listQuery } from '../../src/inbox/state/conversation-list'
import { conversation } from './fixtures'

const { en } = LOCALES

describe('user agents', () => {
  test.each([
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36', 'Chrome 126', 'Windows 10 or 11'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87', 'Edge 126', 'Windows 10 or 11'],
    ['Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:115.0) Gecko/20100101 Firefox/115.0', 'Firefox 115', 'Windows 7'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15', 'Safari 17', 'macOS'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1', 'Safari 17', 'iOS 17.4'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/125.0.6422.80 Mobile/15E148 Safari/604.1', 'Chrome 125', 'iOS 17.4'],
    ['Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36', 'Samsung Internet 25', 'Android 14'],
    ['Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.71 Mobile Safari/537.36 OPR/83.0.4388.79', 'Opera 83', 'Android 13'],
    ['Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36', 'Chrome 126', 'ChromeOS'],
    ['Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0', 'Firefox 127', 'Linux'],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/150.0.0.0 Safari/537.36', 'Headless Chrome 150', 'Linux'],
  ])('%s', (ua, browser, os) => {
    expect(parseUserAgent(ua)).toEqual({ browser, os })
  })

  test('names nothing it does not know', () => {
    expect(parseUserAgent('curl/8.5.0')).toEqual({})
    expect(parseUserAgent(undefined)).toEqual({})
  })
})

describe('canned replies in the reply box', () => {
  const reply = (name: string, text = `text of ${name}`): CannedReply => ({ id: name, name, text, updatedAt: 1 })
  const team = [reply('thanks'), reply('hello'), reply('refund'), reply('hours'), reply('shipping-thanks')]

  test('a / at the start or after a space, up to the caret, is a query; elsewhere it is text', () => {
    expect(slashQuery('/', 1)).toEqual({ start: 0, query: '' })
    expect(slashQuery('Hi! /Ha', 7)).toEqual({ start: 4, query: 'ha' })
    expect(slashQuery('Hi!\n/th', 7)).toEqual({ start: 4, query: 'th' })
    expect(slashQuery('and/or', 6)).toBeUndefined()
    expect(slashQuery('https://x.io/a', 14)).toBeUndefined()
    expect(slashQuery('/thanks and more', 16)).toBeUndefined()
    // The caret inside: what is before it counts.
    expect(slashQuery('/thanks and more', 3)).toEqual({ start: 0, query: 'th' })
  })

  test('names that start with the query first, then those that contain it, each by name', () => {
    expect(matchReplies(team, 'h').map((r) => r.name)).toEqual(['hello', 'hours', 'shipping-thanks', 'thanks'])
    expect(matchReplies(team, 'thanks').map((r) => r.name)).toEqual(['thanks', 'shipping-thanks'])
    expect(matchReplies(team, '').map((r) => r.name)).toEqual(['hello', 'hours', 'refund', 'shipping-thanks', 'thanks'])
    expect(matchReplies(team, 'zzz')).toEqual([])
  })

  test('inserting replaces the /query and puts the caret after the reply', () => {
    const at = slashQuery('Hi Ani, /tha see you', 12)!
    expect(insertReply('Hi Ani, /tha see you', at, reply('thanks', 'Thank you!'))).toEqual({ text: 'Hi Ani, Thank you! see you', caret: 18 })
  })
})

describe('search hits', () => {
  test('marks the beginnings of words the query starts, in any case, and nothing else', () => {
    expect(highlightParts('The Parcels arrived; my parcel too', 'parc')).toEqual([
      { text: 'The ', match: false },
      { text: 'Parc', match: true },
      { text: 'els arrived; my ', match: false },
      { text: 'parc', match: true },
      { text: 'el too', match: false },
    ])
    expect(highlightParts('reparcel', 'parc')).toEqual([{ text: 'reparcel', match: false }])
    expect(highlightParts('kopi susu', 'Susu, kop!')).toEqual([
      { text: 'kop', match: true },
      { text: 'i ', match: false },
      { text: 'susu', match: true },
    ])
  })
})

describe('the list a filter asks for', () => {
  test('status and assignee together; every conversation is the client’s own list', () => {
    expect(listQuery('all', 'anyone', 'me')).toBeUndefined()
    expect(listQuery('open', 'anyone', 'me')).toEqual({ status: 'open' })
    expect(listQuery('pending', 'mine', 'me')).toEqual({ status: 'pending', assignee: 'me' })
    expect(listQuery('all', 'unassigned', 'me')).toEqual({ assignee: null })
    expect(listQuery('open', 'mine', undefined)).toBe('unknown')
  })

  test('assignment choices: this agent first, then the team by name; an assignee the team does not list is kept', () => {
    const team = [
      { id: 'b', email: 'b@x', name: 'Budi', role: 'agent' as const, createdAt: 1 },
      { id: 's', email: 's@x', name: 'Sari', role: 'owner' as const, createdAt: 1 },
      { id: 'a', email: 'a@x', name: 'Ayu', role: 'agent' as const, createdAt: 1 },
    ]
    expect(assigneeChoices(team, { id: 's', role: 'agent', name: 'Sari' }, { id: 'gone', role: 'agent', name: 'Dewi' })).toEqual([
      { id: 's', name: 'Sari', me: true },
      { id: 'a', name: 'Ayu', me: false },
      { id: 'b', name: 'Budi', me: false },
      { id: 'gone', name: 'Dewi', me: false },
    ])
    // A server without accounts lists nobody: this agent alone.
    expect(assigneeChoices(undefined, { id: 'agent', role: 'agent' }, undefined)).toEqual([{ id: 'agent', name: 'agent', me: true }])
  })
})

describe('visitor details', () => {
  const now = Date.UTC(2025, 2, 5, 12, 0)
  const format = createFormatters('en', en)

  test('every fact the browser reported, in words; only http(s) pages are links', () => {
    const talk = conversation('ani', {
      visitor: { id: 'v-ani', role: 'visitor', name: 'Ani', email: 'ani@example.com' },
      assignee: { id: 'a-budi', role: 'agent', name: 'Budi' },
      context: {
        page: { url: 'https://toko.example/keranjang', title: 'Keranjang', at: now - 60_000 },
        pages: [
          { url: 'https://toko.example/', title: 'Toko', at: now - 120_000 },
          { url: 'javascript:alert(1)', at: now - 90_000 },
        ],
        referrer: 'https://search.example/?q=kopi',
        locale: 'id-ID',
        timeZone: 'Asia/Jakarta',
        userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
        firstSeenAt: Date.UTC(2025, 0, 2, 3, 4),
        visits: 4,
      },
    })
    const facts = visitorFacts(talk, 'a-sari', en, format, 'en', now)
    const text = Object.fromEntries(facts.filter((f) => f.kind === 'text').map((f) => [f.term, f.kind === 'text' ? f.value : '']))
    expect(text).toMatchObject({
      Name: 'Ani',
      Email: 'ani@example.com',
      Assignee: 'Budi',
      'Came from': 'https://search.example/?q=kopi',
      Browser: 'Chrome 126 on Windows 10 or 11',
      Language: 'Indonesian (Indonesia) (id-ID)',
      'Time zone': 'Asia/Jakarta',
      // 12:00 UTC is 19:00 in Jakarta.
      'Local time': 'Wed 07:00 PM',
      'First seen': format.full(Date.UTC(2025, 0, 2, 3, 4)),
      Visits: '4',
    })
    const nowOn = facts.find((f) => f.term === 'Now on')
    expect(nowOn).toMatchObject({ kind: 'page', page: { text: 'Keranjang', href: 'https://toko.example/keranjang' } })
    const pages = facts.find((f) => f.term === 'Pages this visit')
    expect(pages?.kind === 'pages' && pages.pages.map((p) => [p.text, p.href])).toEqual([
      ['Toko', 'https://toko.example/'],
      ['javascript:alert(1)', undefined],
    ])
  })

  test('without a context: who the visitor is and the conversation; a direct visit says so', () => {
    const facts = visitorFacts(conversation('bayu'), undefined, en, format, 'en', now)
    expect(facts.map((f) => f.term)).toEqual(['Name', 'Email', 'Status', 'Assignee', 'Conversation'])
    const direct = visitorFacts(conversation('c', { context: { visits: 1 } }), undefined, en, format, 'en', now)
    expect(direct.find((f) => f.term === 'Came from')).toMatchObject({ value: 'Direct (no referrer)' })
    expect(localTime('Not/AZone', 'en', now)).toBeUndefined()
  })
})
