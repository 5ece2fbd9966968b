/**
 * The conversation: a `role="log"` live region so new messages are announced politely, keyed by
 * `clientId` (stable from the optimistic copy to the confirmed one, so a bubble is never re-created
 * when the server confirms it). A long conversation renders only its newest part at first (see
 * `render-window.ts`); reaching the top shows more, then loads more from the server.
 */
import { useStore } from '@nanostores/preact'
import { useCallback, useRef, useState } from 'preact/hooks'
import { useWidget } from './context'
import { GreetingBubble, MessageBubble, type MessageActions } from './MessageBubble'
import { TypingDots } from './TypingDots'
import { RENDER_WINDOW, widenedStart, windowAnchor, windowStart } from '../ui/render-window'
import { useMarkRead } from '../ui/use-mark-read'
import { useScrollAnchor } from '../ui/use-scroll-anchor'

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
  const lost = useStore(client.conversationLost) !== undefined
  const logRef = useRef<HTMLDivElement>(null)

  // The window: decided during render from the list, kept in refs so a re-render finds it again.
  const firstKey = useRef<string | undefined>(undefined)
  const lastStart = useRef(0)
  const [, setWidened] = useState(0)
  const start = windowStart(messages, firstKey.current, RENDER_WINDOW, lastStart.current)
  firstKey.current = windowAnchor(messages, start)
  lastStart.current = start
  const shown = start === 0 ? messages : messages.slice(start)

  /** Shows more of what is loaded above the window; false when it already starts at the top. */
  const showEarlier = useCallback((): boolean => {
    // The store, not the last render: a page of history may have just arrived.
    const all = client.messages.get()
    const current = windowStart(all, firstKey.current, RENDER_WINDOW, lastStart.current)
    if (current === 0) return false
    const next = widenedStart(current, RENDER_WINDOW)
    firstKey.current = windowAnchor(all, next)
    lastStart.current = next
    setWidened((n) => n + 1)
    return true
  }, [client])

  const { newBelow, onScroll, loadOlder, scrollToBottom } = useScrollAnchor(logRef, { client, messages: shown, typing, open, onError, showEarlier })
  useMarkRead(client, messages, open, document)

  return (
    <div class="body">
      {/* Focusable so keyboard users can scroll it. */}
      <div class="log" ref={logRef} role="log" aria-live="polite" aria-label={strings.messages} tabIndex={0} onScroll={onScroll}>
        {/* Scrolling to the top loads older history too; the button is the keyboard way. The
            greeting opens the conversation, so it shows only once its beginning is loaded. */}
        {lost && <p class="notice">{strings.conversationLost}</p>}
        {hasOlder || start > 0 ? (
          <button type="button" class="older" onClick={() => void loadOlder()}>
            {strings.earlierMessages}
          </button>
        ) : (
          greeting && <GreetingBubble text={greeting} />
        )}
        {shown.map((message) => (
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
