/**
 * Every conversation list an agent's client holds: the unfiltered one (`client.conversations`)
 * and each filtered one a UI opened with `queryConversations`. All are loaded again on every
 * connection and all hear every `conversation_updated`. What a UI reads of each counts unread by
 * this agent's own marks (`own-reads.ts`).
 */
import { computed, type ReadableAtom } from 'nanostores'
import type { Conversation } from '../../protocol'
import { ChatError, failedWithLink } from '../errors'
import type { SocketLink } from '../transport/socket-link'
import { ConversationList, type ConversationListOptions } from './conversation-list'
import { listWithOwnUnread, type OwnReads } from './own-reads'

/** A filtered, paged, live list of conversations (`client.queryConversations`). */
export interface ConversationQuery {
  /** The conversations loaded so far that pass the filter, newest activity first. */
  readonly conversations: ReadableAtom<Conversation[]>
  /** More pages are on the server. */
  readonly hasMore: ReadableAtom<boolean>
  /** The first page has come (until then an empty list means "not known yet"). */
  readonly loaded: ReadableAtom<boolean>
  /** Loads the next page; resolves to how many conversations came. */
  loadMore(): Promise<number>
  /** Stops loading and updating this list. */
  close(): void
}

export class ConversationLists {
  readonly all: ConversationList
  /** The unfiltered list as a UI reads it (`client.conversations`). */
  readonly $conversations: ReadableAtom<Conversation[]>
  private readonly filtered = new Set<ConversationList>()

  constructor(
    private readonly link: SocketLink,
    private readonly reportError: (error: ChatError) => void,
    private readonly ownReads: OwnReads,
  ) {
    this.all = this.list({})
    this.$conversations = this.shown(this.all)
  }

  /** A new connection: the unfiltered list is awaited, the filtered ones load beside it. */
  async refresh(): Promise<void> {
    for (const list of this.filtered) this.refreshQuietly(list)
    await this.all.refresh()
  }

  update(conversation: Conversation): void {
    this.all.update(conversation)
    for (const list of this.filtered) list.update(conversation)
  }

  query(options: ConversationListOptions): ConversationQuery {
    const list = this.list(options)
    this.filtered.add(list)
    if (this.link.session) this.refreshQuietly(list)
    return {
      conversations: this.shown(list),
      hasMore: list.$hasMore,
      loaded: list.$loaded,
      loadMore: () => (this.filtered.has(list) ? list.loadMore() : Promise.resolve(0)),
      close: () => void this.filtered.delete(list),
    }
  }

  private list(options: ConversationListOptions): ConversationList {
    return new ConversationList(this.link, options, (conversations) => this.ownReads.learn(conversations.map((c) => [c.roomId, c.readByMe])))
  }

  private shown(list: ConversationList): ReadableAtom<Conversation[]> {
    return computed([list.$conversations, this.ownReads.$marks], listWithOwnUnread())
  }

  /** A failure the link already reports (a dead socket) is not reported twice; the next connection loads again. */
  private refreshQuietly(list: ConversationList): void {
    list.refresh().catch((error: unknown) => {
      if (this.filtered.has(list) && error instanceof ChatError && !failedWithLink(error)) this.reportError(error)
    })
  }
}
