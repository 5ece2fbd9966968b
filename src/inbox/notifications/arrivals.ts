/**
 * What is worth a sound or a notification, found by comparing two versions of the conversation
 * list: a conversation the agent has not seen before, and a visitor's message the list did not
 * hold yet. Pure: the last seq seen per room goes in and comes out.
 */
import type { Conversation } from '../../index'

export interface Arrival {
  kind: 'conversation' | 'message'
  conversation: Conversation
}

/** Room → the highest seq this agent has been told of. */
export type Seen = ReadonlyMap<string, number>

/**
 * `seen` undefined means this is the first list: everything in it is already there, not news.
 * Agents' messages are never news (the agent's own, or a teammate's answer).
 */
export function detectArrivals(seen: Seen | undefined, list: readonly Conversation[]): { arrivals: Arrival[]; seen: Seen } {
  const next = new Map<string, number>()
  const arrivals: Arrival[] = []
  for (const conversation of list) {
    next.set(conversation.roomId, conversation.lastSeq)
    if (!seen) continue
    const before = seen.get(conversation.roomId)
    const last = conversation.lastMessage
    if (!last || last.author.role !== 'visitor' || last.deleted) continue
    if (before === undefined) arrivals.push({ kind: 'conversation', conversation })
    else if (last.seq > before) arrivals.push({ kind: 'message', conversation })
  }
  return { arrivals, seen: next }
}
