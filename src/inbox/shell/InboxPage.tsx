/**
 * The inbox proper: the conversation list (or what a search found) and the open conversation, side
 * by side on a wide screen and as two screens on a phone (the URL says which conversation is open,
 * so the phone's back button goes back to the list). Keys work from anywhere; see `shortcuts.ts`.
 */
import { useStore } from '@nanostores/preact'
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { ChatError, type WireMessage } from '../../index'
import type { MessageTarget } from '../conversation/ConversationView'
import { useChat, useInbox } from '../context'
import { ConversationList } from '../list/ConversationList'
import { useConversationList } from '../list/use-conversation-list'
import { SearchResults } from '../search/SearchResults'
import { useMessageSearch } from '../search/use-message-search'
import { listQuery, moveCursor, type AssigneeFilter, type StatusFilter } from '../state/conversation-list'
import { focusPlace, shortcutFor } from './shortcuts'
import { useChunk } from './use-chunk'

// The conversation's code (messages, files, reactions, the reply box, the visitor's details) is a
// chunk of its own: the first screen is the list, and the chunk is fetched as soon as the list is up.
const conversationView = () => import('../conversation/ConversationView').then((module) => module.ConversationView)

export function InboxPage({ roomId }: { roomId: string | undefined }) {
  const { strings, router, win } = useInbox()
  const { client, report } = useChat()
  const ConversationView = useChunk(conversationView, report)
  const all = useStore(client.conversations)
  const joined = useStore(client.conversation)
  const lost = useStore(client.conversationLost)
  const status = useStore(client.status)
  const me = useStore(client.user)
  const [filter, setFilter] = useState<StatusFilter>('open')
  const [assignee, setAssignee] = useState<AssigneeFilter>('anyone')
  const list = useConversationList(client, listQuery(filter, assignee, me?.id), report)
  const visible = list.conversations
  const search = useMessageSearch(client, win, report)
  const [target, setTarget] = useState<MessageTarget | undefined>(undefined)
  const [cursor, setCursor] = useState<string | undefined>(roomId)
  const [missing, setMissing] = useState<string | undefined>(undefined)
  const drafts = useRef(new Map<string, string>())
  const [, redraw] = useState(0)
  const listboxRef = useRef<HTMLDivElement>(null)
  const searchRef = useRef<HTMLInputElement>(null)
  const textareaRef = useRef<HTMLTextAreaElement>(null)
  const find = <T extends { roomId: string }>(list: readonly T[]): T | undefined => (roomId === undefined ? undefined : list.find((c) => c.roomId === roomId))
  // The open conversation: from the list on screen, else the client's full list, else the client's
  // own copy once joined (a search hit, a link to a conversation further down than what is loaded).
  const listed = find(visible) ?? find(all) ?? (joined?.roomId === roomId ? joined : undefined)

  // The URL names the open conversation; the client follows it once it can ask the server. A room
  // the server does not have is said in words.
  const canJoin = roomId !== undefined && (listed !== undefined || status === 'connected')
  useEffect(() => {
    if (roomId === undefined || !canJoin) return
    client.openConversation(roomId).then(
      () => setMissing(undefined),
      (error: unknown) => (error instanceof ChatError && error.code === 'not_found' ? setMissing(roomId) : report(error)),
    )
  }, [client, roomId, canJoin, report])

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
  }, [focusNext, roomId, ConversationView])
  const pick = useCallback(
    (next: string) => {
      open(next)
      setTarget(undefined)
      setFocusNext('reply')
    },
    [open],
  )
  const openHit = useCallback(
    (hit: WireMessage) => {
      open(hit.roomId)
      setTarget({ roomId: hit.roomId, messageId: hit.id, seq: hit.seq })
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

  const gone = roomId !== undefined && !listed && (missing === roomId || (lost?.roomId === roomId && lost.reason === 'not_found'))
  const searching = search.state.query !== ''
  return (
    <div class="inbox" data-screen={roomId === undefined ? 'list' : 'conversation'}>
      <ConversationList
        list={list}
        total={all.length}
        filter={filter}
        onFilter={setFilter}
        assignee={assignee}
        onAssignee={setAssignee}
        search={{
          text: search.text,
          onText: search.change,
          onEnter: search.now,
          onClear: search.clear,
          results: searching ? <SearchResults state={search.state} conversations={all} meId={me?.id} onOpen={openHit} onMore={search.more} /> : undefined,
        }}
        cursor={cursor}
        openRoomId={roomId}
        meId={me?.id}
        onPick={pick}
        listboxRef={listboxRef}
        searchRef={searchRef}
      />
      <div class="conversation-pane">
        {listed && ConversationView ? (
          <ConversationView
            key={listed.roomId}
            listed={listed}
            visible
            target={target?.roomId === listed.roomId ? target : undefined}
            draft={drafts.current.get(listed.roomId) ?? ''}
            onDraft={setDraft}
            onBack={back}
            textareaRef={textareaRef}
          />
        ) : (
          <p class="placeholder" role={gone ? 'alert' : undefined}>
            {gone ? strings.lostNotFound : roomId !== undefined ? strings.loading : strings.pickConversation}
          </p>
        )}
      </div>
    </div>
  )
}
