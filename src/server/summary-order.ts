import { compareListPlaces } from '../protocol'
import type { ConversationQuery, ListPosition, StoredConversation } from './store'

/** The agents' list order every store follows (`compareListPlaces`: the client merges by it too). */
export const compareSummaries: (a: StoredConversation, b: StoredConversation) => number = compareListPlaces

/** True when `conversation` comes after `position` in the list's order. */
export function isAfter(conversation: StoredConversation, position: ListPosition): boolean {
  return compareListPlaces(conversation, position) > 0
}

/** Whether a conversation passes a list query's filters (status, assignee, position). */
export function matchesQuery(conversation: StoredConversation, query: ConversationQuery): boolean {
  if (query.status !== undefined && conversation.status !== query.status) return false
  if (query.assigneeId !== undefined && (conversation.assignee?.id ?? null) !== query.assigneeId) return false
  return query.after === undefined || isAfter(conversation, query.after)
}
