/**
 * The inbox proper: the conversation list and the open conversation, side by side on a wide
 * screen and as two screens on a phone (the URL says which conversation is open, so the phone's
 * back button goes back to the list). Keys work from anywhere; see `shortcuts.ts`.
 */
import { useStore } from '@nanostores/preact'
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { ConversationView } from '../conversation/ConversationView'
import { useChat, useInbox } from '../context'
import { ConversationList } from '../list/ConversationList'
import { filterConversations, moveCursor, type StatusFilter } from '../state/conversation-list'
import { focusPlace, shortcutFor } from './shortcuts'

export function InboxPage({ roomId }: { roomId: string | undefined }) {
  const { strings, router, win } = useInbox()
  const { client, report } = useChat()
  const all = useStore(client.conversations)
  const status = useStore(client.status)
  const me = useStore(client.user)
  const [filter, setFilter] = useState<StatusFilter>('open')
  const visible = useMemo(() => filterConversations(all, filter), [all, filter])
  const [cursor, setCursor] = useState<string | undefined>(roomId)
  const drafts = useRef(new Map<string, string>())
  const [, redraw] = useState(0)
  const listboxRef = useRef<HTMLDivElement>(null)
  const searchRef = useRef<HTMLInputElement>(null)
  const textareaRef = useRef<HTMLTextAreaElement>(null)
  const listed = roomId === undefined ? undefined : all.find((conversation) => conversation.roomId === roomId)

  // The URL names the open conversation; the client follows it. Only a room the list holds is
  // joined: a stale link must not have the client asking for a room that is gone.
  const joinable = listed !== undefined
  useEffect(() => {
    if (roomId === undefined || !joinable) return
    client.openConversation(roomId).catch(report)
  }, [client, roomId, joinable, report])

  const open = useCallback(
    (next: string) => {
      setCursor(next)
      router.navigate({ screen: 'inbox', roomId: next })
    },
    [router],
  )
  // Where focus goes once it is on screen: the reply box after opening, the list after Esc. The
  // route reaches this component a render later than this state, so it waits for its target.
  const [focusNext, setFocusNext] = useState<'reply' | 'list' | undefined>(undefined)
  useEffect(() => {
    const target = focusNext === 'reply' ? textareaRef.current : focusNext === 'list' && roomId === undefined ? listboxRef.current : null
    if (!target) return
    setFocusNext(undefined)
    target.focus()
  }, [focusNext, roomId])
  const pick = useCallback(
    (next: string) => {
      open(next)
      setFocusNext('reply')
    },
    [open],
  )
  const back = useCallback(() => {
    router.back({ screen: 'inbox' })
    setFocusNext('list')
  }, [router])

  const state = useRef({ visible, cursor, roomId })
  state.current = { visible, cursor, roomId }
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return
      const action = shortcutFor(event, focusPlace(event.target, listboxRef.current))
      if (!action) return
      const now = state.current
      event.preventDefault()
      switch (action) {
        case 'next':
        case 'previous': {
          setCursor(moveCursor(now.visible, now.cursor ?? now.roomId, action === 'next' ? 1 : -1))
          listboxRef.current?.focus()
          return
        }
        case 'open':
          if (now.cursor) pick(now.cursor)
          return
        case 'back':
          if (now.roomId !== undefined) back()
          return
        case 'search':
          searchRef.current?.focus()
          return
      }
    }
    win.document.addEventListener('keydown', onKey)
    return () => win.document.removeEventListener('keydown', onKey)
  }, [win, pick, back])

  const setDraft = useCallback(
    (text: string) => {
      if (roomId === undefined) return
      drafts.current.set(roomId, text)
      redraw((n) => n + 1)
    },
    [roomId],
  )

  const missing = roomId !== undefined && !listed && status === 'connected'
  return (
    <div class="inbox" data-screen={roomId === undefined ? 'list' : 'conversation'}>
      <ConversationList
        conversations={visible}
        total={all.length}
        filter={filter}
        onFilter={setFilter}
        cursor={cursor}
        openRoomId={roomId}
        meId={me?.id}
        onPick={pick}
        listboxRef={listboxRef}
        searchRef={searchRef}
      />
      <div class="conversation-pane">
        {listed ? (
          <ConversationView
            key={listed.roomId}
            listed={listed}
            visible
            draft={drafts.current.get(listed.roomId) ?? ''}
            onDraft={setDraft}
            onBack={back}
            textareaRef={textareaRef}
          />
        ) : (
          <p class="placeholder">{missing ? strings.conversationGone : strings.pickConversation}</p>
        )}
      </div>
    </div>
  )
}
