/**
 * Keeps the message list where the reader wants it:
 * - at the newest message while they are at the bottom (and after they send something);
 * - put when they scrolled up to read, with a "new messages" flag for what arrived below;
 * - on the same message when older history is prepended: scrollTop moves by the height the new
 *   content added above, so nothing jumps.
 */
import type { RefObject } from 'preact'
import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { ChatClient, ChatMessage } from '../index'

/** Pixels from the bottom that still count as "at the bottom" (sub-pixel rounding, a last line). */
export const BOTTOM_SLACK = 32
/** Pixels from the top at which older history is requested. */
export const TOP_SLACK = 8

interface ScrollAnchorOptions {
  client: ChatClient
  messages: ChatMessage[]
  /** Anything else that changes the content height at the bottom (the typing dots). */
  typing: boolean
  /** The list has no size while the panel is hidden; re-anchor when it shows. */
  open: boolean
  onError: (error: unknown) => void
}

interface OlderAnchor {
  /** Content height before the older page came. */
  height: number
  firstKey: string | undefined
}

export function useScrollAnchor(logRef: RefObject<HTMLElement>, { client, messages, typing, open, onError }: ScrollAnchorOptions) {
  const stick = useRef(true)
  const lastKey = useRef<string | undefined>(undefined)
  const lastMessage = useRef<ChatMessage | undefined>(undefined)
  const lastCount = useRef(-1)
  const lastTyping = useRef(false)
  const older = useRef<OlderAnchor | undefined>(undefined)
  const loading = useRef(false)
  /** Where the reader was; a hidden (display: none) list forgets its scroll position. */
  const readerTop = useRef(0)
  const wasOpen = useRef(open)
  const errorHandler = useRef(onError)
  errorHandler.current = onError
  const [newBelow, setNewBelow] = useState(false)

  useLayoutEffect(() => {
    const el = logRef.current
    if (!el) return
    const reopened = open && !wasOpen.current
    wasOpen.current = open
    if (reopened && !stick.current) el.scrollTop = readerTop.current
    const anchor = older.current
    if (anchor && messages[0]?.clientId !== anchor.firstKey) {
      older.current = undefined
      // From where the reader is now (they may have scrolled while it loaded), down by what was added.
      el.scrollTop += el.scrollHeight - anchor.height
    }
    const last = messages[messages.length - 1]
    // A change that leaves the bottom as it was (a tick turning blue somewhere) must not read
    // scrollHeight: on a long list that read forces a layout of every bubble.
    const bottomChanged = last !== lastMessage.current || messages.length !== lastCount.current || typing !== lastTyping.current
    lastMessage.current = last
    lastCount.current = messages.length
    lastTyping.current = typing
    if (!bottomChanged && !reopened && !anchor) return
    const previous = lastKey.current
    lastKey.current = last?.clientId
    // Appended: a new last message after the one we had (not the old last one being discarded).
    const appended =
      last !== undefined && last.clientId !== previous && (previous === undefined || messages.some((m) => m.clientId === previous))
    if (stick.current || (appended && last.own)) {
      el.scrollTop = el.scrollHeight
      stick.current = true
      setNewBelow(false)
    } else if (appended) {
      setNewBelow(true)
    }
  }, [messages, typing, open])

  const loadOlder = useCallback(async () => {
    const el = logRef.current
    if (!el || loading.current || !client.hasOlder.get()) return
    loading.current = true
    const firstKey = client.messages.get()[0]?.clientId
    older.current = { height: el.scrollHeight, firstKey }
    try {
      await client.loadOlder()
    } catch (error) {
      errorHandler.current(error)
    } finally {
      loading.current = false
      // Nothing came: drop the anchor so a later change does not apply a stale offset.
      if (client.messages.get()[0]?.clientId === firstKey) older.current = undefined
    }
  }, [client])

  const onScroll = useCallback(() => {
    const el = logRef.current
    if (!el) return
    if (el.clientHeight === 0) return // hidden: not the reader scrolling
    readerTop.current = el.scrollTop
    stick.current = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK
    if (stick.current) setNewBelow(false)
    if (el.scrollTop <= TOP_SLACK) void loadOlder()
  }, [loadOlder])

  const scrollToBottom = useCallback(() => {
    const el = logRef.current
    if (!el) return
    el.scrollTop = el.scrollHeight
    stick.current = true
    setNewBelow(false)
    el.focus()
  }, [])

  return { newBelow, onScroll, loadOlder, scrollToBottom }
}
