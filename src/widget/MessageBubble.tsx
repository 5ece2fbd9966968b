/**
 * One message. Memoised: the core keeps a ChatMessage object's identity while it is unchanged and
 * the list passes stable callbacks, so appending a message re-renders only the new bubble.
 */
import { useStore } from '@nanostores/preact'
import type { ChatMessage } from '../index'
import { AttachmentView } from './attachments/AttachmentView'
import { useWidget } from './context'
import type { WidgetStrings } from './i18n'
import { memo, shallowEqual } from '../ui/memo'
import { MessageText } from '../ui/MessageText'
import { errorText } from './error-text'
import type { MessageActions as SharedMessageActions } from '../ui/message-actions'
import { ReactionChips, ReactionPicker, type ReactionLabels } from '../ui/ReactionBar'
import { Ticks } from './Ticks'

/** The shared actions, and the widget's own: undo a delete, say what went wrong (a file that could not be read). */
export interface MessageActions extends SharedMessageActions {
  undoRemove(message: ChatMessage): void
  error(error: unknown): void
}

interface MessageBubbleProps {
  message: ChatMessage
  /** This bubble's text is loaded in the composer for editing. */
  editing: boolean
  /** Deleted by the visitor a moment ago: "Message deleted. Undo" in its place until it is sent. */
  deleting: boolean
  actions: MessageActions
}

function authorLabel(message: ChatMessage, strings: WidgetStrings): string {
  if (message.own) return strings.you
  return message.author.name ?? (message.author.role === 'agent' ? strings.agent : strings.visitor)
}

/** Own messages the server has confirmed can be edited and deleted, unless already deleted. */
export function canChange(message: ChatMessage): boolean {
  return message.own && message.id !== undefined && !message.deleted && message.status !== 'pending' && message.status !== 'failed'
}

function reactionLabels(strings: WidgetStrings): ReactionLabels {
  return {
    add: strings.addReaction,
    count: (emoji, count, mine) => (mine ? strings.reactionMine : strings.reactionCount).replace('{emoji}', emoji).replace('{count}', String(count)),
  }
}

/** The un-memoised view; exported so tests can count how often bubbles really render. */
export function MessageBubbleView({ message, editing, deleting, actions }: MessageBubbleProps) {
  const { client, strings, formatTime } = useWidget()
  const offered = useStore(client.features).reactions
  const meId = useStore(client.user)?.id
  const { own, status } = message
  const when = new Date(message.createdAt)
  if (deleting) {
    return (
      <div class="row own is-deleting" data-client-id={message.clientId}>
        <div class="undo-line">
          <span>{strings.messageDeleted}</span>
          <button type="button" class="link-btn" onClick={() => actions.undoRemove(message)}>
            {strings.undo}
          </button>
        </div>
      </div>
    )
  }
  const file = message.deleted ? undefined : message.attachment
  // Reactions are for messages the server has, that are still there.
  const reactable = message.id !== undefined && !message.deleted
  const reactionProps = { reactions: message.reactions, meId, offered, labels: reactionLabels(strings), onToggle: (emoji: string, on: boolean) => actions.react(message, emoji, on) }
  return (
    <div class={`row ${own ? 'own' : 'other'}${editing ? ' is-editing' : ''}`} data-client-id={message.clientId} data-status={own ? status : undefined}>
      {file && message.text === '' && <span class="sr-only">{`${authorLabel(message, strings)}: `}</span>}
      {file && <AttachmentView message={message} onOpen={actions.open} onCancel={actions.cancel} onError={actions.error} />}
      {(message.deleted || message.text !== '' || !file) && (
        <div class={message.deleted ? 'bubble is-deleted' : 'bubble'}>
          <span class="sr-only">{`${authorLabel(message, strings)}: `}</span>
          {message.deleted ? <span class="deleted">{strings.deleted}</span> : <MessageText text={message.text} />}
        </div>
      )}
      {reactable && <ReactionChips {...reactionProps} />}
      <div class="meta">
        {/* Beside the time, out of the flow: hidden or shown, the row keeps its height. */}
        {canChange(message) && (
          <span class="actions">
            <button type="button" class="link-btn" onClick={() => actions.edit(message)}>
              {strings.edit}
            </button>
            <button type="button" class="link-btn" onClick={() => actions.remove(message)}>
              {strings.delete}
            </button>
          </span>
        )}
        {Number.isFinite(when.getTime()) && <time dateTime={when.toISOString()}>{formatTime(message.createdAt)}</time>}
        {message.editedAt !== undefined && !message.deleted && <span class="edited">{strings.edited}</span>}
        {own && status !== 'failed' && <Ticks status={status} />}
        {reactable && <ReactionPicker {...reactionProps} />}
      </div>
      {own && status === 'failed' && (
        <div class="failed">
          <span class="failed-reason">{message.error ? errorText(strings, message.error) : strings.notSent}</span>
          <button type="button" class="link-btn" onClick={() => actions.retry(message.clientId)}>
            {strings.retry}
          </button>
          <button type="button" class="link-btn" onClick={() => actions.discard(message.clientId)}>
            {strings.discard}
          </button>
        </div>
      )}
    </div>
  )
}

/**
 * Whether a bubble would render the same. Another person's message shows no ticks, so when only
 * its status changes (this user read it) nothing on screen changes: opening a long conversation
 * marks it all read, and that must not re-render every bubble.
 */
export function sameBubble(a: MessageBubbleProps, b: MessageBubbleProps): boolean {
  if (a.editing !== b.editing || a.deleting !== b.deleting || a.actions !== b.actions) return false
  if (a.message === b.message) return true
  if (a.message.own || b.message.own) return false
  const { status: _a, ...restA } = a.message
  const { status: _b, ...restB } = b.message
  return shallowEqual(restA, restB)
}

export const MessageBubble = memo(MessageBubbleView, sameBubble)

/** The site's greeting: shown like a message from the agent, but it never went over the wire. */
export function GreetingBubble({ text }: { text: string }) {
  const { strings } = useWidget()
  return (
    <div class="row other greeting">
      <div class="bubble">
        <span class="sr-only">{`${strings.agent}: `}</span>
        <MessageText text={text} />
      </div>
    </div>
  )
}
