/**
 * Keeps the message list where the reader wants it:
 * - at the newest message while they are at the bottom (and after they send something);
 * - put when they scrolled up to read, with a "new messages" flag for what arrived below;
 * - on the same message when older messages are put above it: the bubble the reader saw first is
 *   measured before the change and after it, and scrollTop moves by the difference, so nothing
 *   jumps. Measuring the bubble itself, not the height added, stays right whatever the browser's
 *   own scroll anchoring did in between.
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
  /** Shows loaded messages above the rendered ones; false when there are none. */
  showEarlier: () => boolean
}

interface OlderAnchor {
  firstKey: string | undefined
  /** The first bubble shown when more was asked for. */
  node: Element | null
  /** Its distance from the top of the log, measured again before every render until it moves. */
  top: number
}

const offsetIn = (log: Element, node: Element): number => node.getBoundingClientRect().top - log.getBoundingClientRect().top

/**
 * Keeps the bubble where it was for the next few frames too: late layout (fonts, images in
 * bubbles) can still move it once the new rows are painted.
 */
function holdInPlace(log: HTMLElement, node: Element, top: number, frames: number): void {
  const view = log.ownerDocument.defaultView
  if (!view?.requestAnimationFrame) return
  let left = frames
  const step = () => {
    if (!node.isConnected) return
    const drift = offsetIn(log, node) - top
    if (drift !== 0) log.scrollTop += drift
    if (--left > 0) view.requestAnimationFrame(step)
  }
  view.requestAnimationFrame(step)
}

function anchorAt(log: HTMLElement, firstKey: string | undefined): OlderAnchor {
  const node = log.querySelector('.row:not(.greeting)')
  return { firstKey, node, top: node ? offsetIn(log, node) : 0 }
}

export function useScrollAnchor(logRef: RefObject<HTMLElement>, { client, messages, typing, open, onError, showEarlier }: ScrollAnchorOptions) {
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
  const firstShown = useRef<string | undefined>(undefined)
  firstShown.current = messages[0]?.clientId
  // Rendering runs before the DOM changes: the last place the reader saw the anchor bubble at.
  const pending = older.current
  if (pending?.node && logRef.current) pending.top = offsetIn(logRef.current, pending.node)
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
      if (anchor.node?.isConnected) {
        el.scrollTop += offsetIn(el, anchor.node) - anchor.top
        holdInPlace(el, anchor.node, anchor.top, 3)
      }
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
    if (!el || loading.current) return
    const anchor = anchorAt(el, firstShown.current)
    // Messages already loaded above the rendered ones come first, without asking the server.
    older.current = anchor
    if (showEarlier()) return
    older.current = undefined
    if (!client.hasOlder.get()) return
    loading.current = true
    older.current = anchor
    let shown = false
    try {
      // Whatever came is put in view: the window widens to it, or starts at the top already.
      shown = (await client.loadOlder()) > 0
      if (shown) showEarlier()
    } catch (error) {
      errorHandler.current(error)
    } finally {
      loading.current = false
      // Nothing came: drop the anchor so a later change does not apply a stale offset.
      if (!shown && older.current === anchor) older.current = undefined
    }
  }, [client, showEarlier])

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
