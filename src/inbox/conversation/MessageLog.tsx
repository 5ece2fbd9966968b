/**
 * The open conversation's messages: a `role="log"` region, a separator at each new day, the
 * author's name at the start of each run. Long conversations render their newest part (the
 * render window shared with the widget) and more as the reader scrolls up, then load older pages
 * from the server; the message the reader was looking at stays where it was. Opened at a search
 * hit, it loads history back to that message, shows it in the middle and gives it focus.
 */
import { useStore } from '@nanostores/preact'
import type { ComponentChildren } from 'preact'
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { Conversation } from '../../index'
import { RENDER_WINDOW, widenedStart, windowAnchor, windowStart } from '../../ui/render-window'
import { useMarkRead } from '../../ui/use-mark-read'
import { useScrollAnchor } from '../../ui/use-scroll-anchor'
import type { MessageActions } from '../../ui/message-actions'
import { useChat, useInbox } from '../context'
import { dayKey } from '../format'
import { authorName } from '../state/conversation-list'
import type { MessageTarget } from './ConversationView'
import { MessageItem } from './MessageItem'

interface MessageLogProps {
  conversation: Conversation | undefined
  /** The client has joined this conversation: its messages are the ones loaded. */
  joined: boolean
  visible: boolean
  target?: MessageTarget | undefined
  editingClientId: string | undefined
  actions: MessageActions
}

/** A new run starts when the author changes or the previous message is this long ago. */
const RUN_GAP_MS = 5 * 60_000

/** Messages shown above a search hit, so it reads in its context. */
const TARGET_CONTEXT = 5

export function MessageLog({ conversation, joined, visible, target, editingClientId, actions }: MessageLogProps) {
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

  // A search hit: older pages until it is loaded, then the window widened to it.
  const [shownTarget, setShownTarget] = useState<string | undefined>(undefined)
  const [targetKey, setTargetKey] = useState<string | undefined>(undefined)
  const loadingTarget = useRef(false)
  const [loads, setLoads] = useState(0)
  useEffect(() => {
    if (!target || !joined || shownTarget === target.messageId) return
    // The client's stores as they are now: what was rendered may be a task behind.
    const all = client.messages.get()
    const index = all.findIndex((message) => message.id === target.messageId)
    if (index >= 0) {
      const from = Math.max(0, index - TARGET_CONTEXT)
      if (from < windowStart(all, firstKey.current, RENDER_WINDOW, lastStart.current)) {
        firstKey.current = windowAnchor(all, from)
        lastStart.current = from
      }
      setTargetKey(all[index]!.clientId)
      setShownTarget(target.messageId)
      return
    }
    const oldest = all.find((message) => message.seq !== undefined)?.seq
    // Joined, but the first page not in yet: wait for it (a hit's conversation has messages).
    if (oldest === undefined) return
    if (client.hasOlder.get() && oldest > target.seq) {
      if (loadingTarget.current) return
      loadingTarget.current = true
      client
        .loadOlder()
        .catch(report)
        .finally(() => {
          loadingTarget.current = false
          setLoads((n) => n + 1)
        })
    }
    // Loaded that far back and not there: the message is gone; the conversation shows as usual.
    else setShownTarget(target.messageId)
  }, [target, joined, messages, hasOlder, shownTarget, client, report, loads])
  // Rendered: into view (after the scroll anchor's own move to the bottom) and focused, so it is read out.
  useLayoutEffect(() => {
    const log = logRef.current
    const row = targetKey ? log?.querySelector<HTMLElement>(`.row[data-client-id="${CSS.escape(targetKey)}"]`) : null
    if (!log || !row || row.dataset.shown === 'yes') return
    row.dataset.shown = 'yes'
    log.scrollTop += row.getBoundingClientRect().top - log.getBoundingClientRect().top - log.clientHeight / 3
    row.focus({ preventScroll: true })
  }, [targetKey, shown])

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
        target={message.clientId === targetKey}
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
