/**
 * The order of an agents' conversation list, the same on the server (every store pages by it) and
 * in the client (which merges live updates into the pages it holds): newest activity first; ties
 * (one millisecond, or a store's coarser clock) by newer creation, then by room id, so the order
 * is total and pages never repeat or skip a conversation.
 */

/** Where a conversation stands in the list. */
export interface ListPlace {
  updatedAt: number
  createdAt: number
  roomId: string
}

/** Negative when `a` comes before `b` in the list. */
export function compareListPlaces(a: ListPlace, b: ListPlace): number {
  return b.updatedAt - a.updatedAt || b.createdAt - a.createdAt || (a.roomId < b.roomId ? -1 : a.roomId > b.roomId ? 1 : 0)
}
