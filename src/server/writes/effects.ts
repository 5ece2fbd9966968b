/**
 * What follows from a change to a room besides the broadcasts: integrations queue webhook events
 * and hand agents' replies to the conversation's channel. The write paths (writes/*) call these
 * under the room's lock, after the store has the change and before the writer is answered, so
 * what is acknowledged has been queued too, in the room's order. Without integrations nothing
 * happens here.
 */
import type { Author, WireMessage } from '../../protocol'
import type { StoredConversation } from '../store'

export type ConversationChange = 'status_changed' | 'assigned'
export type MessageChange = 'updated' | 'deleted'

export interface WriteEffects {
  /** Throws a `ChatError` when this author cannot post here (a channel the server cannot reach). */
  checkPost(conversation: StoredConversation, author: Author): void
  /**
   * A message was stored (`created`) or sent again under a key it was stored with (then queued
   * again under the same event ids, which receivers drop). `opened`: it created the conversation.
   */
  posted(conversation: StoredConversation, message: WireMessage, opened: boolean): Promise<void>
  changed(message: WireMessage, change: MessageChange): Promise<void>
  conversationChanged(roomId: string, change: ConversationChange): Promise<void>
}

export const NO_EFFECTS: WriteEffects = {
  checkPost: () => {},
  posted: async () => {},
  changed: async () => {},
  conversationChanged: async () => {},
}

/** Several integrations' effects as one, each in turn, in the order given. */
export function combineEffects(parts: readonly Partial<WriteEffects>[]): WriteEffects {
  return {
    checkPost: (conversation, author) => parts.forEach((part) => part.checkPost?.(conversation, author)),
    async posted(conversation, message, opened) {
      for (const part of parts) await part.posted?.(conversation, message, opened)
    },
    async changed(message, change) {
      for (const part of parts) await part.changed?.(message, change)
    },
    async conversationChanged(roomId, change) {
      for (const part of parts) await part.conversationChanged?.(roomId, change)
    },
  }
}
