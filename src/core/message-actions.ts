/**
 * What a user does to messages besides writing them: retry, discard or cancel unsent ones, send
 * and read files, react, edit and delete. Each change shows at once (the list's subscribers hear
 * in the same event handler, as a UI expects).
 */
import type { ReadableAtom } from 'nanostores'
import type { WireMessage } from '../protocol'
import type { ChatClient } from './client-types'
import type { Attachments } from './files/attachments'
import type { Sender } from './outbox/sender'
import type { PendingReactions } from './room/reactions'
import type { Room } from './room/room'
import type { ServerFeatures } from './session/features'
import type { ChatMessage } from './view/message-view'
import type { Views } from './view/stores'

export interface MessageActionParts {
  sender: Sender
  room: Room
  views: Views
  attachments: Attachments
  reactions: PendingReactions
  features: ReadableAtom<ServerFeatures>
  checkText(text: unknown): string
  /** The room a new message goes to (throws for an agent with none open). */
  roomToWrite(): string | undefined
  /** The message as shown, once the room has it. */
  shown(message: WireMessage): ChatMessage
}

type MessageActions = Pick<ChatClient, 'retry' | 'discard' | 'cancel' | 'sendFile' | 'readFile' | 'fileUrl' | 'react' | 'edit' | 'remove'>

export function messageActions(parts: MessageActionParts): MessageActions {
  const { sender, room, views, attachments, reactions, checkText, shown } = parts
  const shownNow = (): void => views.settle()
  return {
    retry: (clientId) => (sender.retry(clientId), shownNow()),
    discard: (clientId) => (sender.discard(clientId), shownNow()),
    cancel: (clientId) => (sender.cancel(clientId), shownNow()),

    sendFile(file, options = {}) {
      const caption = options.text?.trim() ? checkText(options.text) : ''
      return views.pendingView(attachments.send(file, options, caption, parts.roomToWrite()))
    },

    readFile: (message) => attachments.read(message),
    fileUrl: (message) => (message.attachment?.id && message.roomId ? attachments.url(message.roomId, message.attachment.id) : undefined),

    react(messageId, emoji, on = true) {
      reactions.react(room.timeline.messages.find((m) => m.id === messageId) ?? messageId, emoji, on, parts.features.get().reactions)
      shownNow()
    },

    async edit(messageId, text) {
      const message = room.ownMessage(messageId)
      return shown(await room.change(message, checkText(text)))
    },

    async remove(messageId) {
      return shown(await room.change(room.ownMessage(messageId)))
    },
  }
}
