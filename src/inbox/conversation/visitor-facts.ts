/**
 * What the details panel says about a visitor, as pure data: each fact with its term, from the
 * conversation (name, e-mail, status, assignee, since when) and from what the visitor's browser
 * reported (`Conversation.context`): the page now and the visit's pages, where the visit came from,
 * browser and system, language, time zone and the visitor's local time, first seen, visits.
 * Reported values are shown as text; only http(s) addresses become links.
 */
import type { Conversation, PageVisit } from '../../index'
import type { Formatters } from '../format'
import { fill, type InboxStrings } from '../i18n'
import { authorName, visitorName } from '../state/conversation-list'
import { parseUserAgent } from './user-agent'

export interface PageFact {
  /** The title, else the address. */
  text: string
  /** The address, when it is an http(s) one; other schemes are never links. */
  href: string | undefined
  url: string
  at: number
}

export type Fact =
  | { term: string; kind: 'text'; value: string }
  | { term: string; kind: 'page'; page: PageFact }
  | { term: string; kind: 'pages'; pages: PageFact[] }

export const httpHref = (url: string): string | undefined => (/^https?:\/\//i.test(url) ? url : undefined)

const pageFact = (visit: PageVisit): PageFact => ({ text: visit.title || visit.url, href: httpHref(visit.url), url: visit.url, at: visit.at })

function languageName(tag: string, uiLocale: string): string {
  try {
    const name = new Intl.DisplayNames([uiLocale], { type: 'language' }).of(tag)
    return name && name !== tag ? `${name} (${tag})` : tag
  } catch (error) {
    // Not a language tag this browser knows: the tag as the visitor's browser sent it.
    console.warn('obrolan inbox: unknown language tag', tag, error)
    return tag
  }
}

/** The time it is now where the visitor is; undefined for a time zone this browser does not know. */
export function localTime(timeZone: string, uiLocale: string, now: number): string | undefined {
  try {
    return new Intl.DateTimeFormat(uiLocale, { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(now)
  } catch (error) {
    console.warn('obrolan inbox: unknown time zone', timeZone, error)
    return undefined
  }
}

export function visitorFacts(conversation: Conversation, meId: string | undefined, strings: InboxStrings, format: Formatters, uiLocale: string, now: number): Fact[] {
  const text = (term: string, value: string): Fact => ({ term, kind: 'text', value })
  const { visitor, context } = conversation
  const facts: Fact[] = [
    text(strings.name, visitor.name ?? visitorName(visitor, strings)),
    text(strings.email, visitor.email ?? strings.notGiven),
    text(strings.status, strings[`status_${conversation.status}`]),
    text(strings.assignee, conversation.assignee ? authorName(conversation.assignee, meId, undefined, strings) : strings.nobody),
  ]
  if (conversation.createdAt > 0) facts.push(text(strings.conversation, format.full(conversation.createdAt)))
  if (!context) return facts
  if (context.page) facts.push({ term: strings.nowOn, kind: 'page', page: pageFact(context.page) })
  if (context.pages && context.pages.length > 0) facts.push({ term: strings.pagesVisited, kind: 'pages', pages: context.pages.map(pageFact) })
  facts.push(text(strings.cameFrom, context.referrer || strings.direct))
  const { browser, os } = parseUserAgent(context.userAgent)
  const described = browser && os ? fill(strings.browserOn, { browser, os }) : (browser ?? os)
  if (described) facts.push(text(strings.browser, described))
  else if (context.userAgent) facts.push(text(strings.browser, context.userAgent))
  if (context.locale) facts.push(text(strings.language, languageName(context.locale, uiLocale)))
  if (context.timeZone) {
    facts.push(text(strings.timeZone, context.timeZone))
    const time = localTime(context.timeZone, uiLocale, now)
    if (time) facts.push(text(strings.localTime, time))
  }
  if (context.firstSeenAt !== undefined) facts.push(text(strings.firstSeen, format.full(context.firstSeenAt)))
  if (context.visits !== undefined) facts.push(text(strings.visits, String(context.visits)))
  return facts
}
