/**
 * Message search as the agent types: asked for a moment after the last key (at once on Enter),
 * answers to an older query dropped, "more" pages on from the oldest hit, failures said in words.
 */
import type { ChatClient, WireMessage } from '../../index'
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { queryWords } from './highlight'

/** A page of hits; fewer than this means there are no more. */
export const SEARCH_PAGE = 30
const DEBOUNCE_MS = 250

export interface SearchState {
  /** The query the hits are for; '' when no search is shown. */
  query: string
  hits: WireMessage[]
  loading: boolean
  /** More hits may be on the server. */
  more: boolean
}

const idle: SearchState = { query: '', hits: [], loading: false, more: false }

export function useMessageSearch(client: ChatClient, win: Window, report: (error: unknown) => void) {
  const [text, setText] = useState('')
  const [state, setState] = useState<SearchState>(idle)
  const asked = useRef(0)
  const timer = useRef<number | undefined>(undefined)

  const run = useCallback(
    async (query: string, before?: WireMessage[]) => {
      const ask = ++asked.current
      if (queryWords(query).length === 0) return setState(idle)
      setState((current) => ({ query, hits: before ?? [], loading: true, more: current.more && before !== undefined }))
      try {
        const oldest = before?.[before.length - 1]
        const page = await client.searchMessages(query, { limit: SEARCH_PAGE, ...(oldest && { before: oldest.createdAt }) })
        if (ask !== asked.current) return
        setState({ query, hits: [...(before ?? []), ...page], loading: false, more: page.length === SEARCH_PAGE })
      } catch (error) {
        if (ask !== asked.current) return
        setState((current) => ({ ...current, loading: false }))
        report(error)
      }
    },
    [client, report],
  )

  const change = useCallback(
    (next: string) => {
      setText(next)
      win.clearTimeout(timer.current)
      timer.current = win.setTimeout(() => void run(next.trim()), DEBOUNCE_MS)
    },
    [win, run],
  )
  const now = useCallback(() => {
    win.clearTimeout(timer.current)
    void run(text.trim())
  }, [win, run, text])
  const more = useCallback(() => void run(state.query, state.hits), [run, state])
  const clear = useCallback(() => {
    win.clearTimeout(timer.current)
    asked.current++
    setText('')
    setState(idle)
  }, [win])
  useEffect(() => () => win.clearTimeout(timer.current), [win])

  return { text, state, change, now, more, clear }
}
