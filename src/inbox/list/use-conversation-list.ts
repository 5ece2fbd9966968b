/**
 * The list a filter shows, from the core: every conversation (the client's own list) or a filtered
 * one the server pages (`queryConversations`), opened when the filter changes and closed when it
 * changes again or the list goes away.
 */
import { atom, type ReadableAtom } from 'nanostores'
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks'
import type { ChatClient, Conversation, ConversationListOptions } from '../../index'

export interface ShownList {
  conversations: readonly Conversation[]
  /** More pages are on the server. */
  hasMore: boolean
  /** The first page has come. */
  loaded: boolean
  loadMore(): void
}

interface Source {
  conversations: ReadableAtom<Conversation[]>
  hasMore: ReadableAtom<boolean>
  loaded: ReadableAtom<boolean>
  loadMore(): Promise<number>
  close(): void
}

const nothing: Source = { conversations: atom([]), hasMore: atom(false), loaded: atom(false), loadMore: async () => 0, close() {} }
const always = atom(true)

/** `query`: undefined for every conversation, 'unknown' while the filter cannot be asked yet. */
export function useConversationList(client: ChatClient, query: ConversationListOptions | undefined | 'unknown', report: (error: unknown) => void): ShownList {
  const key = JSON.stringify(query ?? null)
  const source = useMemo<Source>(() => {
    if (query === 'unknown') return nothing
    if (query === undefined) {
      return { conversations: client.conversations, hasMore: client.conversationsHaveMore, loaded: always, loadMore: () => client.loadMoreConversations(), close() {} }
    }
    return client.queryConversations(query)
  }, [client, key])
  // Not `useStore`: it does not look again at a store it is switched to, so a first page that
  // came between the render and the subscription would never be drawn. Listen, then look.
  const [, redraw] = useState(0)
  useEffect(() => {
    const changed = () => redraw((n) => n + 1)
    const stop = [source.conversations.listen(changed), source.hasMore.listen(changed), source.loaded.listen(changed)]
    changed()
    return () => {
      stop.forEach((off) => off())
      source.close()
    }
  }, [source])
  const conversations = source.conversations.get()
  const hasMore = source.hasMore.get()
  const loaded = source.loaded.get()
  const loadMore = useCallback(() => void source.loadMore().catch(report), [source, report])
  return { conversations, hasMore, loaded, loadMore }
}
