/**
 * What a UI reads, derived from the facts the client holds (`computed`, never set by hand): the
 * message list from the timeline, the outbox and the watermarks; the unread count from the
 * timeline and this user's read mark (an agent's own); the conversation from what the server said of it,
 * with the last seq, watermarks, presence and unread count the client knows now.
 */
import { computed, type ReadableAtom } from 'nanostores'
import type { Author, Conversation, Presence, Role, Watermarks } from '../../protocol'
import type { Outbox, OutboxEntry } from '../outbox/outbox'
import type { UploadProgress } from '../outbox/uploader'
import type { ReactionIntent } from '../room/reactions'
import { latestSeq, type Timeline } from '../room/timeline'
import { settled } from './settled'
import { buildMessageList, countUnread, createMessageViewCache, promisePendingView, type ChatMessage } from './message-view'

export interface ViewSources {
  role: Role
  $roomId: ReadableAtom<string | undefined>
  $timeline: ReadableAtom<Timeline>
  $outbox: ReadableAtom<Outbox>
  $watermarks: ReadableAtom<Watermarks>
  /** Agents: the agent's own read mark; until it is known, the team's counts. */
  $ownRead: ReadableAtom<number | undefined>
  $conversation: ReadableAtom<Conversation | undefined>
  $presence: ReadableAtom<Presence | undefined>
  $user: ReadableAtom<Author | undefined>
  /** The file going up now. */
  $progress: ReadableAtom<UploadProgress | undefined>
  /** The user's reactions not yet confirmed. */
  $intents: ReadableAtom<readonly ReactionIntent[]>
  /** Who wrote unsent messages before the server said who this is. */
  provisionalAuthor: () => Author
}

export interface Views {
  messages: ReadableAtom<ChatMessage[]>
  /** The view a message just put in the outbox has in the list (built now only if someone listens). */
  pendingView(entry: OutboxEntry): ChatMessage
  /** Something the user did changed the list: its subscribers hear now, not at the end of the task. */
  settle(): void
  unread: ReadableAtom<number>
  hasOlder: ReadableAtom<boolean>
  conversation: ReadableAtom<Conversation | undefined>
}

export function deriveViews(sources: ViewSources): Views {
  const { role, $roomId, $timeline, $outbox, $watermarks, $ownRead, $conversation, $presence, $user, $progress, $intents, provisionalAuthor } = sources
  const cache = createMessageViewCache()
  // A visitor has one conversation, so all of its unsent messages belong on screen, even before
  // the server has named the room after a reload; an agent sees those of the open room.
  const $unsent = computed([$outbox, $roomId], (outbox, roomId) => (role === 'visitor' ? outbox : outbox.filter((entry) => entry.roomId === roomId)))
  // One pass builds the list and counts the unread, sharing what the last pass built, once per
  // task however many frames the task carried; most changes (a receipt about other messages)
  // leave the list the same object, and then no subscriber of `messages` wakes.
  const $shown = settled([$timeline, $unsent, $watermarks, $ownRead, $user, $progress, $intents], (timeline, unsent, watermarks, ownRead, user, progress, intents) => {
    const list = buildMessageList(timeline, unsent, watermarks, user ?? provisionalAuthor(), cache, { progress, intents })
    // The ticks show the team's marks; an agent's unread count is by its own.
    const readMarks = ownRead === undefined ? watermarks : { ...watermarks, [role]: { ...watermarks[role], read: ownRead } }
    return { list, unread: countUnread(timeline, readMarks, role, cache) }
  })
  const messages = computed($shown, (shown) => shown.list)
  const unread = computed($shown, (shown) => shown.unread)
  const hasOlder = computed($timeline, (timeline) => timeline.hasOlder)
  const conversation = computed([$conversation, $timeline, $watermarks, $presence, unread], (said, timeline, watermarks, presence, count) =>
    said
      ? {
          ...said,
          lastSeq: Math.max(said.lastSeq, latestSeq(timeline)),
          watermarks,
          presence: presence ?? said.presence,
          unread: { ...said.unread, [role]: count },
        }
      : undefined,
  )
  const pendingView = (entry: OutboxEntry) => {
    const view = promisePendingView(entry, $user.get() ?? provisionalAuthor(), cache)
    $shown.settle()
    return view
  }
  return { messages, pendingView, settle: () => $shown.settle(), unread, hasOlder, conversation }
}
