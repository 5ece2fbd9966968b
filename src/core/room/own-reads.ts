/**
 * An agent's own read marks, by room, from what the server says to this agent alone: the list's
 * pages and the join answers (`readByMe`) and `agent_read` (a read in any of the agent's tabs).
 * Summaries are broadcast to every agent alike, so each agent's unread count is derived here:
 * the visitor's messages in the room less those at or below the agent's own mark. A conversation
 * the agent never opened has no mark: every visitor message in it is unread for this agent, however
 * far teammates have read. From a server that keeps no own marks (no `visitorMessages`), the
 * team's count as sent.
 */
import { atom } from 'nanostores'
import type { AgentRead, Conversation } from '../../protocol'

export type ReadMarks = ReadonlyMap<string, AgentRead>

export class OwnReads {
  readonly $marks = atom<ReadMarks>(new Map())

  /** Marks only rise: a late answer with an older mark changes nothing. */
  learn(reads: readonly (readonly [roomId: string, read: AgentRead | undefined])[]): void {
    const next = new Map(this.$marks.get())
    let changed = false
    for (const [roomId, read] of reads) {
      if (read && (next.get(roomId)?.upToSeq ?? -1) < read.upToSeq) changed = !!next.set(roomId, read)
    }
    if (changed) this.$marks.set(next)
  }
}

/** The conversation with `unread.agent` as this agent's own count. */
export function withOwnUnread(conversation: Conversation, read: AgentRead | undefined): Conversation {
  if (conversation.visitorMessages === undefined) return conversation
  const own = Math.max(0, conversation.visitorMessages - (read?.visitorMessages ?? 0))
  return own === conversation.unread.agent ? conversation : { ...conversation, unread: { ...conversation.unread, agent: own } }
}

/** A list with each agent count its own; an entry whose conversation and mark are unchanged keeps its identity. */
export function listWithOwnUnread(): (list: readonly Conversation[], marks: ReadMarks) => Conversation[] {
  const made = new WeakMap<Conversation, [AgentRead | undefined, Conversation]>()
  return (list, marks) =>
    list.map((conversation) => {
      const read = marks.get(conversation.roomId)
      let entry = made.get(conversation)
      if (!entry || entry[0] !== read) made.set(conversation, (entry = [read, withOwnUnread(conversation, read)]))
      return entry[1]
    })
}
