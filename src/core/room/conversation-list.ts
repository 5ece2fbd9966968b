/**
 * An agents' list of conversations, newest activity first, held in pages: the first page loaded on
 * every connection, further pages when asked for (`loadMore`), and every `conversation_updated`
 * merged into what is held, so the list stays live however far it was paged. One list per filter;
 * the client keeps the unfiltered one and any a UI asks for (`queryConversations`).
 */
import { atom, batch } from 'nanostores'
import { CONVERSATION_PAGE, MAX_CONVERSATION_PAGE, type Conversation, type ListConversationsRequest } from '../../protocol'
import { ChatError } from '../errors'
import type { SocketLink } from '../transport/socket-link'
import { appendPage, placeConversation, type ConversationFilter } from './list-merge'

export interface ConversationListOptions extends ConversationFilter {
  /** Conversations per page; the server's default (200) when absent, at most 500. */
  limit?: number
}

export class ConversationList {
  readonly $conversations = atom<Conversation[]>([])
  readonly $hasMore = atom(false)
  readonly $loaded = atom(false)
  /** Where the next page starts, from the server; absent when the list is complete. */
  private cursor: string | undefined
  private loadingMore: Promise<number> | undefined
  /** Counts loads from the top: a page asked for before the latest one is dropped. */
  private generation = 0

  constructor(
    private readonly link: SocketLink,
    private readonly options: ConversationListOptions = {},
    /** Hears every page the server sends, before it is shown (its conversations carry this agent's marks). */
    private readonly seen: (conversations: readonly Conversation[]) => void = () => {},
  ) {}

  /**
   * Loads the list again from the top (every connection does this), as many as were held, up to
   * the server's largest page: what changed while the client was away may have left the filter,
   * and only a fresh page says so. Beyond that page the list loads again as it is scrolled.
   */
  async refresh(): Promise<void> {
    const generation = ++this.generation
    const held = this.$conversations.get().length
    const limit = Math.min(MAX_CONVERSATION_PAGE, Math.max(this.options.limit ?? CONVERSATION_PAGE, held))
    const ack = await this.request(undefined, limit)
    if (generation !== this.generation) return
    this.cursor = ack.cursor
    this.publish(ack.conversations)
  }

  /** Loads the next page; resolves to how many conversations it added (0 when there are no more). */
  loadMore(): Promise<number> {
    if (!this.cursor) return Promise.resolve(0)
    this.loadingMore ??= this.fetchMore().finally(() => (this.loadingMore = undefined))
    return this.loadingMore
  }

  update(conversation: Conversation): void {
    const held = this.$conversations.get()
    const next = placeConversation(held, conversation, this.options, this.cursor === undefined)
    if (next !== held) this.$conversations.set(next as Conversation[])
  }

  private async fetchMore(): Promise<number> {
    const generation = this.generation
    const cursor = this.cursor
    const ack = await this.request(cursor)
    // The list was loaded again meanwhile: this page belongs to the list before.
    if (generation !== this.generation || cursor !== this.cursor) return 0
    const held = this.$conversations.get()
    const next = appendPage(held, ack.conversations)
    this.cursor = ack.cursor
    this.publish(next)
    return next.length - held.length
  }

  private publish(list: Conversation[]): void {
    batch(() => {
      this.$conversations.set(list)
      this.$hasMore.set(this.cursor !== undefined)
      this.$loaded.set(true)
    })
  }

  private async request(cursor: string | undefined, limit = this.options.limit) {
    const { status, assignee } = this.options
    const request: ListConversationsRequest = {
      ...(status !== undefined && { status }),
      ...(assignee !== undefined && { assignee }),
      ...(limit !== undefined && { limit }),
      ...(cursor !== undefined && { cursor }),
    }
    const ack = await this.link.request('list_conversations', request)
    if (!ack.ok) throw new ChatError(ack.error.code, `list_conversations: ${ack.error.message}`)
    this.seen(ack.conversations)
    return ack
  }
}
