/**
 * Agents' list of every conversation, newest activity first: loaded on every connection and
 * kept current by `conversation_updated`.
 */
import { atom, type ReadableAtom } from 'nanostores'
import type { Conversation } from '../../protocol'
import { ChatError } from '../errors'
import type { SocketLink } from '../transport/socket-link'

const newestFirst = (a: Conversation, b: Conversation) => b.updatedAt - a.updatedAt

export class ConversationList {
  private readonly $conversations = atom<Conversation[]>([])

  constructor(private readonly link: SocketLink) {}

  get conversations(): ReadableAtom<Conversation[]> {
    return this.$conversations
  }

  async refresh(): Promise<void> {
    const ack = await this.link.request('list_conversations', {})
    if (!ack.ok) throw new ChatError(ack.error.code, `list_conversations: ${ack.error.message}`)
    this.$conversations.set(ack.conversations.slice().sort(newestFirst))
  }

  update(conversation: Conversation): void {
    const rest = this.$conversations.get().filter((c) => c.roomId !== conversation.roomId)
    this.$conversations.set([conversation, ...rest].sort(newestFirst))
  }
}
