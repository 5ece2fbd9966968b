/**
 * The open conversation's messages: a `role="log"` region, a separator at each new day, the
 * author's name at the start of each run. Long conversations render their newest part (the
 * render window shared with the widget) and more as the reader scrolls up, then load older pages
 * from the server; the message the reader was looking at stays where it was.
 */
import { useStore } from '@nanostores/preact'
import type { ComponentChildren } from 'preact'
import { useCallback, useRef, useState } from 'preact/hooks'
import type { Conversation } from '../../index'
import { RENDER_WINDOW, widenedStart, windowAnchor, windowStart } from '../../ui/render-window'
import { useMarkRead } from '../../ui/use-mark-read'
import { useScrollAnchor } from '../../ui/use-scroll-anchor'
import { useChat, useInbox } from '../context'
import { dayKey } from '../format'
import { authorName } from '../state/conversation-list'
import { MessageItem, type MessageActions } from './MessageItem'

interface MessageLogProps {
  conversation: Conversation | undefined
  visible: boolean
  editingClientId: string | undefined
  actions: MessageActions
}

/** A new run starts when the author changes or the previous message is this long ago. */
const RUN_GAP_MS = 5 * 60_000

export function MessageLog({ conversation, visible, editingClientId, actions }: MessageLogProps) {
  const { strings, format, now, win } = useInbox()
  const { client, report } = useChat()
  const messages = useStore(client.messages)
  const hasOlder = useStore(client.hasOlder)
  const me = useStore(client.user)
  const logRef = useRef<HTMLDivElement>(null)

  const firstKey = useRef<string | undefined>(undefined)
  const lastStart = useRef(0)
  const [, setWidened] = useState(0)
  const start = windowStart(messages, firstKey.current, RENDER_WINDOW, lastStart.current)
  firstKey.current = windowAnchor(messages, start)
  lastStart.current = start
  const shown = start === 0 ? messages : messages.slice(start)

  const showEarlier = useCallback((): boolean => {
    const all = client.messages.get()
    const current = windowStart(all, firstKey.current, RENDER_WINDOW, lastStart.current)
    if (current === 0) return false
    const next = widenedStart(current, RENDER_WINDOW)
    firstKey.current = windowAnchor(all, next)
    lastStart.current = next
    setWidened((n) => n + 1)
    return true
  }, [client])

  const { newBelow, onScroll, loadOlder, scrollToBottom } = useScrollAnchor(logRef, {
    client,
    messages: shown,
    typing: false,
    open: visible,
    onError: report,
    showEarlier,
  })
  useMarkRead(client, messages, visible, win.document)

  const items: ComponentChildren[] = []
  const today = now()
  for (let i = 0; i < shown.length; i++) {
    const message = shown[i]!
    const previous = i > 0 ? shown[i - 1] : start > 0 ? messages[start - 1] : undefined
    const newDay = !previous || dayKey(previous.createdAt) !== dayKey(message.createdAt)
    if (newDay) {
      items.push(
        <p class="day" key={`day-${dayKey(message.createdAt)}`}>
          <span>{format.day(message.createdAt, today)}</span>
        </p>,
      )
    }
    const runStarts = newDay || previous!.author.id !== message.author.id || message.createdAt - previous!.createdAt > RUN_GAP_MS
    items.push(
      <MessageItem
        key={message.clientId}
        message={message}
        author={authorName(message.author, me?.id, conversation?.visitor, strings)}
        showAuthor={runStarts}
        editing={message.clientId === editingClientId}
        actions={actions}
        channel={conversation?.channel}
      />,
    )
  }

  return (
    <div class="log-wrap">
      <div class="log" ref={logRef} role="log" aria-live="polite" aria-label={strings.messages} tabIndex={0} onScroll={onScroll}>
        {(hasOlder || start > 0) && (
          <button type="button" class="older" onClick={() => void loadOlder()}>
            {strings.earlierMessages}
          </button>
        )}
        {items}
      </div>
      {newBelow && (
        <button type="button" class="new-hint" onClick={scrollToBottom}>
          {strings.newMessages} <span aria-hidden="true">↓</span>
        </button>
      )}
    </div>
  )
}
