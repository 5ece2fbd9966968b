/**
 * Pure steps of an agents' conversation list held in pages: a live update put in its place, a
 * further page added. The list is always in the
 * server's order (`compareListPlaces`), one entry per room.
 */
import { compareListPlaces, type Conversation, type ConversationStatus } from '../../protocol'

/** Which conversations a list holds: by status, by assignee (an agent id, or `null` for nobody). */
export interface ConversationFilter {
  status?: ConversationStatus
  assignee?: string | null
}

export function matchesFilter(conversation: Conversation, filter: ConversationFilter): boolean {
  if (filter.status !== undefined && conversation.status !== filter.status) return false
  return filter.assignee === undefined || (conversation.assignee?.id ?? null) === filter.assignee
}

/** Index at which `conversation` belongs in `list` (which does not hold it). */
function placeOf(list: readonly Conversation[], conversation: Conversation): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (compareListPlaces(list[mid]!, conversation) < 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * `list` with `conversation` as it is now: moved to its place, or dropped when it no longer
 * passes the filter. While more pages follow (`complete` false), a conversation whose place is
 * past the last one held is left for its page: holding it would leave a hole before it.
 * Returns `list` itself when nothing changed.
 */
export function placeConversation(
  list: readonly Conversation[],
  conversation: Conversation,
  filter: ConversationFilter,
  complete: boolean,
): readonly Conversation[] {
  const at = list.findIndex((held) => held.roomId === conversation.roomId)
  const rest = at < 0 ? list : [...list.slice(0, at), ...list.slice(at + 1)]
  const last = rest[rest.length - 1]
  const keep = matchesFilter(conversation, filter) && (complete || (last !== undefined && compareListPlaces(conversation, last) < 0))
  if (!keep) return at < 0 ? list : rest
  const place = placeOf(rest, conversation)
  return [...rest.slice(0, place), conversation, ...rest.slice(place)]
}

/** `list` with a further page added: a room held twice (it moved meanwhile) keeps its newer copy. */
export function appendPage(list: readonly Conversation[], page: readonly Conversation[]): Conversation[] {
  const byRoom = new Map<string, Conversation>()
  for (const conversation of [...list, ...page]) {
    const held = byRoom.get(conversation.roomId)
    if (!held || conversation.updatedAt >= held.updatedAt) byRoom.set(conversation.roomId, conversation)
  }
  return [...byRoom.values()].sort(compareListPlaces)
}
