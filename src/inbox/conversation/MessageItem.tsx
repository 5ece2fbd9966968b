/**
 * One message in the agent's view: visitor on the left, the team on the right (this agent's own in
 * the strong colour, a teammate's lighter, each with its name), the time, edited and deleted marks,
 * the visitor's delivered/read ticks on the team's messages, and this agent's own actions.
 * Memoised: the core keeps a message object while it is unchanged.
 */
import { useStore } from '@nanostores/preact'
import type { ChatMessage } from '../../index'
import type { MessageActions } from '../../ui/message-actions'
import { memo } from '../../ui/memo'
import { MessageText } from '../../ui/MessageText'
import { ReactionChips, ReactionPicker, type ReactionLabels } from '../../ui/ReactionBar'
import { TickGlyph } from '../../ui/TickGlyph'
import { useChat, useInbox } from '../context'
import { fill, type InboxStrings } from '../i18n'
import { FileView } from './FileView'


function reactionLabels(strings: InboxStrings): ReactionLabels {
  return { add: strings.addReaction, count: (emoji, count, mine) => fill(mine ? strings.reactionMine : strings.reactionCount, { emoji, count }) }
}

interface MessageItemProps {
  message: ChatMessage
  author: string
  /** Shown above the bubble when it starts a run by one author; always read out. */
  showAuthor: boolean
  editing: boolean
  /** The search hit the conversation was opened at: marked, and focusable so it can be read out. */
  target?: boolean
  actions: MessageActions
  /** The conversation's channel (`whatsapp`), absent for the widget's. */
  channel?: string
}

/**
 * Own messages the server has confirmed can be edited and deleted, unless already deleted or gone
 * out on another channel (a WhatsApp reply stays as the contact's phone got it).
 */
export function canChange(message: ChatMessage, channel?: string): boolean {
  return message.own && message.id !== undefined && !message.deleted && message.status !== 'pending' && message.status !== 'failed' && channel === undefined
}

function tickLabel(strings: InboxStrings, status: ChatMessage['status']): string {
  return status === 'pending' ? strings.sending : status === 'failed' ? strings.notSent : strings[status]
}

function MessageItemView({ message, author, showAuthor, editing, target = false, actions, channel }: MessageItemProps) {
  const { strings, format } = useInbox()
  const { client } = useChat()
  const offered = useStore(client.features).reactions
  const meId = useStore(client.user)?.id
  const file = message.deleted ? undefined : message.attachment
  const reactable = message.id !== undefined && !message.deleted
  const reactions = { reactions: message.reactions, meId, offered, labels: reactionLabels(strings), onToggle: (emoji: string, on: boolean) => actions.react(message, emoji, on) }
  const side = message.author.role === 'visitor' ? 'visitor' : message.own ? 'own' : 'team'
  const { status } = message
  const label = tickLabel(strings, status)
  // The name sits above the row, not in it: when older messages arrive and this one no longer
  // starts a run, the name goes and the row (which the scroll anchor measures) stays put.
  return (
    <>
      {showAuthor && (
        <span class={`author ${side}`} aria-hidden="true">
          {author}
        </span>
      )}
      <div
        class={`row ${side}${editing ? ' is-editing' : ''}${target ? ' is-target' : ''}`}
        data-client-id={message.clientId}
        data-status={side === 'visitor' ? undefined : status}
        tabIndex={target ? -1 : undefined}
      >
        {file && message.text === '' && <span class="sr-only">{`${author}: `}</span>}
        {file && <FileView message={message} onOpen={actions.open} onCancel={actions.cancel} />}
        {(message.deleted || message.text !== '' || !file) && (
          <div class={message.deleted ? 'bubble is-deleted' : 'bubble'}>
            <span class="sr-only">{`${author}: `}</span>
            {message.deleted ? <span class="deleted">{strings.deleted}</span> : <MessageText text={message.text} />}
          </div>
        )}
        {reactable && <ReactionChips {...reactions} />}
        <div class="meta">
          <time dateTime={new Date(message.createdAt).toISOString()} title={format.full(message.createdAt)}>
            {format.time(message.createdAt)}
          </time>
          {message.editedAt !== undefined && !message.deleted && <span class="edited">{strings.edited}</span>}
          {side !== 'visitor' && status !== 'failed' && (
            <span class="ticks" data-status={status} role="img" aria-label={label} title={label}>
              <TickGlyph status={status} />
            </span>
          )}
          {status === 'pending' && (
            <span class="waiting" aria-hidden="true">
              {strings.sending}
            </span>
          )}
          {reactable && <ReactionPicker {...reactions} />}
        </div>
        {message.own && status === 'failed' && (
          <div class="failed">
            <span>{message.error?.message ?? strings.notSent}</span>
            <button type="button" class="link-btn" onClick={() => actions.retry(message.clientId)}>
              {strings.retry}
            </button>
            <button type="button" class="link-btn" onClick={() => actions.discard(message.clientId)}>
              {strings.discard}
            </button>
          </div>
        )}
        {message.delivery?.status === 'failed' && (
          <div class="failed" data-delivery="failed">
            <span>{fill(strings.channelFailed, { reason: message.delivery.error ?? strings.notSent })}</span>
          </div>
        )}
        {channel !== undefined && side !== 'visitor' && !message.deleted && message.id !== undefined && message.delivery === undefined && (
          <span class="waiting">{strings.channelSending}</span>
        )}
        {canChange(message, channel) && (
          <div class="actions">
            <button type="button" class="link-btn" onClick={() => actions.edit(message)}>
              {strings.edit}
            </button>
            <button type="button" class="link-btn" onClick={() => actions.remove(message)}>
              {strings.delete}
            </button>
          </div>
        )}
      </div>
    </>
  )
}

export const MessageItem = memo(MessageItemView)
