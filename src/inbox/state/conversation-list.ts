/**
 * The conversation list as pure functions of the core's lists (newest activity first): which list
 * a filter asks the server for, where the keyboard cursor goes, how many messages wait unread.
 */
import type { Author, Conversation, ConversationListOptions } from '../../index'
import { fill, type InboxStrings } from '../i18n'

export const STATUS_FILTERS = ['open', 'pending', 'closed', 'all'] as const
export type StatusFilter = (typeof STATUS_FILTERS)[number]

export const ASSIGNEE_FILTERS = ['anyone', 'mine', 'unassigned'] as const
export type AssigneeFilter = (typeof ASSIGNEE_FILTERS)[number]

/**
 * The list the server is asked for; undefined for every conversation (the client's own list).
 * "Mine" before the server has said who this agent is asks for nothing yet.
 */
export function listQuery(status: StatusFilter, assignee: AssigneeFilter, meId: string | undefined): ConversationListOptions | undefined | 'unknown' {
  if (assignee === 'mine' && meId === undefined) return 'unknown'
  const options: ConversationListOptions = {
    ...(status !== 'all' && { status }),
    ...(assignee === 'mine' && { assignee: meId }),
    ...(assignee === 'unassigned' && { assignee: null }),
  }
  return Object.keys(options).length === 0 ? undefined : options
}

/**
 * The room `delta` rows away from `current` in `list`, clamped at both ends; the first row when
 * `current` is not in the list (nothing chosen yet, or filtered away).
 */
export function moveCursor(list: readonly Conversation[], current: string | undefined, delta: number): string | undefined {
  if (list.length === 0) return undefined
  const at = current === undefined ? -1 : list.findIndex((conversation) => conversation.roomId === current)
  if (at < 0) return list[0]!.roomId
  return list[Math.min(list.length - 1, Math.max(0, at + delta))]!.roomId
}

/** Messages from visitors no agent has read yet, over every conversation that is not closed. */
export function totalUnread(list: readonly Conversation[]): number {
  let total = 0
  for (const conversation of list) if (conversation.status !== 'closed') total += conversation.unread.agent
  return total
}

/** A visitor's name, or "Visitor" and the end of its id, so two anonymous visitors differ. */
export function visitorName(visitor: Author, strings: InboxStrings): string {
  return visitor.name ?? fill(strings.visitorNamed, { tag: visitor.id.slice(-4).toUpperCase() })
}

/** An author as this agent sees them: "You", a teammate's name, or the visitor's. */
export function authorName(author: Author, meId: string | undefined, visitor: Author | undefined, strings: InboxStrings): string {
  if (author.id === meId) return strings.you
  if (author.role === 'agent') return author.name ?? strings.agent
  return visitorName(visitor && visitor.id === author.id ? { ...author, name: author.name ?? visitor.name } : author, strings)
}

/** The line under a conversation's name: its last message, who wrote it when it was not the visitor. */
export function previewText(conversation: Conversation, meId: string | undefined, strings: InboxStrings): string {
  const last = conversation.lastMessage
  if (!last) return strings.noMessages
  const said = last.text.replace(/\s+/g, ' ').trim()
  // A file without a caption is named by the file.
  const text = last.deleted ? strings.deletedPreview : said || (last.attachment ? fill(strings.filePreview, { name: last.attachment.name }) : '')
  if (last.author.role === 'visitor') return text
  return fill(strings.previewBy, { name: authorName(last.author, meId, undefined, strings), text })
}
