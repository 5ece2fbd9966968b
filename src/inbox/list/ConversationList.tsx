/**
 * The list pane: the message search field, status and assignee filters, and a virtualised list
 * box of conversations, newest activity first, that loads the next page from the server as its
 * end comes into view (so 10,000 conversations are all reachable). While a search is shown, its
 * results take the list's place. The keyboard cursor is the list box's active descendant; it is
 * always rendered, because it is always scrolled into view.
 */
import type { ComponentChildren, Ref, RefObject } from 'preact'
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import { useInbox } from '../context'
import { ASSIGNEE_FILTERS, STATUS_FILTERS, type AssigneeFilter, type StatusFilter } from '../state/conversation-list'
import { ConversationRow, rowId } from './ConversationRow'
import type { ShownList } from './use-conversation-list'
import { scrollToShow, visibleRange } from './visible-range'

/** Every row is this tall (the stylesheet says the same: `.conv { height: 68px }`). */
export const ROW_HEIGHT = 68
/** Used before the list has been measured (and in DOMs that do no layout). */
const FALLBACK_VIEWPORT = 900

/** Rows from the end of what is loaded at which the next page is asked for. */
const LOAD_AHEAD = 20

interface ConversationListProps {
  list: ShownList
  /** Every conversation, whatever the filter: tells an empty inbox from an empty filter. */
  total: number
  filter: StatusFilter
  onFilter: (filter: StatusFilter) => void
  assignee: AssigneeFilter
  onAssignee: (filter: AssigneeFilter) => void
  /** The search field and what it found (shown instead of the list while there is a search). */
  search: { text: string; onText: (text: string) => void; onEnter: () => void; onClear: () => void; results: ComponentChildren | undefined }
  cursor: string | undefined
  openRoomId: string | undefined
  meId: string | undefined
  onPick: (roomId: string) => void
  listboxRef: RefObject<HTMLDivElement>
  searchRef: Ref<HTMLInputElement>
}

export function ConversationList(props: ConversationListProps) {
  const { list, total, filter, onFilter, assignee, onAssignee, search, cursor, openRoomId, meId, onPick, listboxRef, searchRef } = props
  const { conversations, hasMore, loaded, loadMore } = list
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
  // The end of what is loaded is near: the next page. The core asks once however often this runs.
  const nearEnd = end >= conversations.length - LOAD_AHEAD
  useEffect(() => {
    if (hasMore && nearEnd) loadMore()
  }, [hasMore, nearEnd, conversations.length, loadMore])

  const rows = []
  for (let i = start; i < end; i++) {
    const conversation = conversations[i]!
    rows.push(
      <ConversationRow
        key={conversation.roomId}
        conversation={conversation}
        index={i}
        count={hasMore ? -1 : conversations.length}
        top={i * ROW_HEIGHT}
        meId={meId}
        active={i === cursorIndex}
        open={conversation.roomId === openRoomId}
        showStatus={filter === 'all'}
        showAssignee={assignee !== 'mine'}
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
          <input
            id="search"
            ref={searchRef}
            type="search"
            autoComplete="off"
            placeholder={strings.searchPlaceholder}
            value={search.text}
            onInput={(event) => search.onText(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault()
                search.onEnter()
              } else if (event.key === 'Escape' && search.text !== '') {
                // Esc in the field clears the search; the page's Esc ("back") waits for the next one.
                event.preventDefault()
                search.onClear()
              }
            }}
          />
          {search.text !== '' && (
            <button type="button" class="ghost clear-search" onClick={search.onClear}>
              {strings.clearSearch}
            </button>
          )}
        </div>
        {search.results === undefined && (
          <>
            <div class="filters" role="group" aria-label={strings.filterLabel}>
              {STATUS_FILTERS.map((value) => (
                <button key={value} type="button" class="filter" aria-pressed={filter === value} onClick={() => onFilter(value)}>
                  {strings[`filter_${value}`]}
                </button>
              ))}
            </div>
            <div class="filters" role="group" aria-label={strings.assigneeFilterLabel}>
              {ASSIGNEE_FILTERS.map((value) => (
                <button key={value} type="button" class="filter" aria-pressed={assignee === value} onClick={() => onAssignee(value)}>
                  {strings[`assigned_${value}`]}
                </button>
              ))}
            </div>
          </>
        )}
      </div>
      {search.results !== undefined ? (
        <div class="list-scroll">{search.results}</div>
      ) : (
      <div class="list-scroll" ref={scrollRef} onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}>
        {conversations.length === 0 ? (
          <p class="empty">{!loaded ? strings.loadingList : total === 0 ? strings.emptyList : strings.emptyFilter}</p>
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
        {hasMore && conversations.length > 0 && (
          <p class="list-more" role="status">
            {strings.loadingMore}
          </p>
        )}
      </div>
      )}
      <p class="keys-hint">{strings.keyboardHint}</p>
    </section>
  )
}
