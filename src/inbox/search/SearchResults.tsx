/**
 * What a message search found, in place of the conversation list: how many (announced), then each
 * message with its conversation (the visitor's name), who wrote it, when, and the words that
 * matched marked. Choosing one opens its conversation at that message.
 */
import type { Conversation, WireMessage } from '../../index'
import { useInbox } from '../context'
import { counted, fill } from '../i18n'
import { authorName, visitorName } from '../state/conversation-list'
import { highlightParts } from './highlight'
import type { SearchState } from './use-message-search'

interface SearchResultsProps {
  state: SearchState
  /** The conversations the client holds, to name a hit's visitor. */
  conversations: readonly Conversation[]
  meId: string | undefined
  onOpen: (hit: WireMessage) => void
  onMore: () => void
}

export function SearchResults({ state, conversations, meId, onOpen, onMore }: SearchResultsProps) {
  const { strings, format, now } = useInbox()
  const byRoom = new Map(conversations.map((conversation) => [conversation.roomId, conversation]))
  // A hit's visitor: from the list, else from another hit of the visitor in the same room.
  const visitors = new Map(state.hits.filter((hit) => hit.author.role === 'visitor').map((hit) => [hit.roomId, hit.author]))
  const count = state.hits.length
  const summary =
    state.loading && count === 0
      ? strings.searching
      : count === 0
        ? fill(strings.noResults, { text: state.query })
        : state.more
          ? fill(strings.resultsMoreMany, { count })
          : counted(strings.resultsOne, strings.resultsMany, count)

  return (
    <section class="search-results" aria-label={strings.searchResults}>
      <p class="results-count" role="status">
        {summary}
      </p>
      <ul class="hits">
        {state.hits.map((hit) => {
          const visitor = byRoom.get(hit.roomId)?.visitor ?? visitors.get(hit.roomId)
          const name = visitor ? visitorName(visitor, strings) : strings.unknown
          const author = authorName(hit.author, meId, visitor, strings)
          return (
            <li key={hit.id}>
              <button type="button" class="hit" onClick={() => onOpen(hit)}>
                <span class="sr-only">{`${fill(strings.hitIn, { author, visitor: name })}: `}</span>
                <span class="hit-head">
                  <span class="hit-name" aria-hidden="true">
                    {name}
                  </span>
                  <time dateTime={new Date(hit.createdAt).toISOString()}>{format.listTime(hit.createdAt, now())}</time>
                </span>
                <span class="hit-text">
                  {hit.author.role !== 'visitor' && (
                    <span class="hit-author" aria-hidden="true">
                      {author}:{' '}
                    </span>
                  )}
                  {hit.deleted ? strings.deletedPreview : highlightParts(hit.text, state.query).map((part, i) => (part.match ? <mark key={i}>{part.text}</mark> : part.text))}
                </span>
              </button>
            </li>
          )
        })}
      </ul>
      {state.more && (
        <button type="button" class="ghost more" disabled={state.loading} onClick={onMore}>
          {state.loading ? strings.searching : strings.moreResults}
        </button>
      )}
    </section>
  )
}
