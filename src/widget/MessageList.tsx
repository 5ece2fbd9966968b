/**
 * The conversation: a `role="log"` live region so new messages are announced politely, keyed by
 * `clientId` (stable from the optimistic copy to the confirmed one, so a bubble is never re-created
 * when the server confirms it).
 */
import { useStore } from '@nanostores/preact'
import { useRef } from 'preact/hooks'
import { useWidget } from './context'
import { GreetingBubble, MessageBubble, type MessageActions } from './MessageBubble'
import { TypingDots } from './TypingDots'
import { useMarkRead } from './use-mark-read'
import { useScrollAnchor } from './use-scroll-anchor'

interface MessageListProps {
  open: boolean
  greeting?: string | undefined
  editingClientId?: string | undefined
  actions: MessageActions
  onError: (error: unknown) => void
}

export function MessageList({ open, greeting, editingClientId, actions, onError }: MessageListProps) {
  const { client, strings, document } = useWidget()
  const messages = useStore(client.messages)
  const typing = useStore(client.typing).length > 0
  const hasOlder = useStore(client.hasOlder)
  const logRef = useRef<HTMLDivElement>(null)
  const { newBelow, onScroll, loadOlder, scrollToBottom } = useScrollAnchor(logRef, { client, messages, typing, open, onError })
  useMarkRead(client, messages, open, document)

  return (
    <div class="body">
      {/* Focusable so keyboard users can scroll it. */}
      <div class="log" ref={logRef} role="log" aria-live="polite" aria-label={strings.messages} tabIndex={0} onScroll={onScroll}>
        {/* Scrolling to the top loads older history too; the button is the keyboard way. The
            greeting opens the conversation, so it shows only once its beginning is loaded. */}
        {hasOlder ? (
          <button type="button" class="older" onClick={() => void loadOlder()}>
            {strings.earlierMessages}
          </button>
        ) : (
          greeting && <GreetingBubble text={greeting} />
        )}
        {messages.map((message) => (
          <MessageBubble key={message.clientId} message={message} editing={message.clientId === editingClientId} actions={actions} />
        ))}
        {typing && <TypingDots />}
      </div>
      {newBelow && (
        <button type="button" class="new-hint" onClick={scrollToBottom}>
          {strings.newMessages} <span aria-hidden="true">↓</span>
        </button>
      )}
    </div>
  )
}
