import type { StoredConversation } from './store'

/**
 * The agents' list order every store follows: newest activity first; ties (one millisecond, or a
 * store's coarser clock) by newer creation, then by room id, so the order is total and pages of a
 * list never repeat or skip a conversation.
 */
export function compareSummaries(a: StoredConversation, b: StoredConversation): number {
  return b.updatedAt - a.updatedAt || b.createdAt - a.createdAt || (a.roomId < b.roomId ? -1 : a.roomId > b.roomId ? 1 : 0)
}
