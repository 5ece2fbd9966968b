import type { ConversationQuery, ListPosition, StoredConversation } from './store'

/**
 * The agents' list order every store follows: newest activity first; ties (one millisecond, or a
 * store's coarser clock) by newer creation, then by room id, so the order is total and pages of a
 * list never repeat or skip a conversation.
 */
export function compareSummaries(a: StoredConversation, b: StoredConversation): number {
  return b.updatedAt - a.updatedAt || b.createdAt - a.createdAt || (a.roomId < b.roomId ? -1 : a.roomId > b.roomId ? 1 : 0)
}

/** True when `conversation` comes after `position` in the list's order. */
export function isAfter(conversation: StoredConversation, position: ListPosition): boolean {
  return compareSummaries(conversation, { ...position } as StoredConversation) > 0
}

/** Whether a conversation passes a list query's filters (status, assignee, position). */
export function matchesQuery(conversation: StoredConversation, query: ConversationQuery): boolean {
  if (query.status !== undefined && conversation.status !== query.status) return false
  if (query.assigneeId !== undefined && (conversation.assignee?.id ?? null) !== query.assigneeId) return false
  return query.after === undefined || isAfter(conversation, query.after)
}
