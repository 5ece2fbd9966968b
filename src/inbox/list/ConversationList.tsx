/**
 * The list pane: status filters, the search field (phase B: present, read-only, says so), and a
 * virtualised list box of conversations, newest activity first. The keyboard cursor is the list
 * box's active descendant; it is always rendered, because it is always scrolled into view.
 */
import type { Ref, RefObject } from 'preact'
import { useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { Conversation } from '../../index'
import { useInbox } from '../context'
import { STATUS_FILTERS, type StatusFilter } from '../state/conversation-list'
import { ConversationRow, rowId } from './ConversationRow'
import { scrollToShow, visibleRange } from './visible-range'

/** Every row is this tall (the stylesheet says the same: `.conv { height: 68px }`). */
export const ROW_HEIGHT = 68
/** Used before the list has been measured (and in DOMs that do no layout). */
const FALLBACK_VIEWPORT = 900

interface ConversationListProps {
  conversations: readonly Conversation[]
  /** Every conversation, whatever the filter: tells an empty inbox from an empty filter. */
  total: number
  filter: StatusFilter
  onFilter: (filter: StatusFilter) => void
  cursor: string | undefined
  openRoomId: string | undefined
  meId: string | undefined
  onPick: (roomId: string) => void
  listboxRef: RefObject<HTMLDivElement>
  searchRef: Ref<HTMLInputElement>
}

export function ConversationList(props: ConversationListProps) {
  const { conversations, total, filter, onFilter, cursor, openRoomId, meId, onPick, listboxRef, searchRef } = props
  const { strings } = useInbox()
  const scrollRef = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [viewport, setViewport] = useState(0)
  const height = viewport || FALLBACK_VIEWPORT
  const cursorIndex = cursor === undefined ? -1 : conversations.findIndex((c) => c.roomId === cursor)

  useLayoutEffect(() => {
    const el = scrollRef.current
    if (!el) return
    const measure = () => setViewport(el.clientHeight)
    measure()
    const View = el.ownerDocument.defaultView?.ResizeObserver
    if (!View) return
    const observer = new View(measure)
    observer.observe(el)
    return () => observer.disconnect()
  }, [])

  // The cursor moved (keys, or the list changed under it): keep it in view, so it is rendered.
  useLayoutEffect(() => {
    const el = scrollRef.current
    if (!el || cursorIndex < 0) return
    const next = scrollToShow(cursorIndex, el.scrollTop, el.clientHeight || height, ROW_HEIGHT)
    if (next !== el.scrollTop) {
      el.scrollTop = next
      setScrollTop(next)
    }
  }, [cursorIndex, height])

  const { start, end } = visibleRange(scrollTop, height, ROW_HEIGHT, conversations.length)
  const rows = []
  for (let i = start; i < end; i++) {
    const conversation = conversations[i]!
    rows.push(
      <ConversationRow
        key={conversation.roomId}
        conversation={conversation}
        index={i}
        count={conversations.length}
        top={i * ROW_HEIGHT}
        meId={meId}
        active={i === cursorIndex}
        open={conversation.roomId === openRoomId}
        showStatus={filter === 'all'}
        onPick={onPick}
      />,
    )
  }

  return (
    <section class="list-pane" aria-labelledby="list-title">
      <div class="list-head">
        <h2 id="list-title">{strings.conversations}</h2>
        <div class="search">
          <label class="sr-only" for="search">
            {strings.search}
          </label>
          <input id="search" ref={searchRef} type="search" readOnly placeholder={strings.search} aria-describedby="search-note" />
          <p id="search-note" class="hint">
            {strings.searchNote}
          </p>
        </div>
        <div class="filters" role="group" aria-label={strings.filterLabel}>
          {STATUS_FILTERS.map((value) => (
            <button key={value} type="button" class="filter" aria-pressed={filter === value} onClick={() => onFilter(value)}>
              {strings[`filter_${value}`]}
            </button>
          ))}
        </div>
      </div>
      <div class="list-scroll" ref={scrollRef} onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}>
        {conversations.length === 0 ? (
          <p class="empty">{total === 0 ? strings.emptyList : strings.emptyFilter}</p>
        ) : (
          <div
            ref={listboxRef}
            role="listbox"
            class="listbox"
            tabIndex={0}
            aria-labelledby="list-title"
            aria-activedescendant={cursorIndex >= 0 ? rowId(cursor!) : undefined}
            style={{ height: `${conversations.length * ROW_HEIGHT}px` }}
          >
            {rows}
          </div>
        )}
      </div>
      <p class="keys-hint">{strings.keyboardHint}</p>
    </section>
  )
}
