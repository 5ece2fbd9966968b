/**
 * What only agents ask of the server beyond the open conversation's messages: more of the list, a
 * filtered list, status, assignment, search. Each request resolves to the server's answer or rejects with a `ChatError`
 * in the server's words (bad ids and queries included); a visitor is refused before anything is sent.
 */
import type { Conversation, ConversationStatus, Role, WireMessage } from '../protocol'
import { ChatError } from './errors'
import { checkedQuery } from './input-checks'
import type { ConversationListOptions } from './room/conversation-list'
import type { ConversationLists, ConversationQuery } from './room/conversation-lists'
import type { SocketLink } from './transport/socket-link'

export interface SearchOptions {
  /** Only messages created before this time (ms): pass the oldest `createdAt` of a page to get the next. */
  before?: number
  /** At most this many (the server's default is 50, its most 200). */
  limit?: number
}

export interface AgentRequests {
  loadMoreConversations(): Promise<number>
  queryConversations(options: ConversationListOptions): ConversationQuery
  setConversationStatus(status: ConversationStatus): Promise<Conversation>
  assignConversation(roomId: string, agentId: string | null): Promise<Conversation>
  searchMessages(text: string, options?: SearchOptions): Promise<WireMessage[]>
}

export function agentRequests(role: Role, link: SocketLink, lists: ConversationLists, openRoom: () => string | undefined): AgentRequests {
  const agentsOnly = (what: string) => {
    if (role !== 'agent') throw new ChatError('forbidden', `Only agents ${what}`)
  }
  const refused = (event: string, error: { code: ChatError['code']; message: string }) => new ChatError(error.code, `${event}: ${error.message}`)

  return {
    async loadMoreConversations() {
      agentsOnly('list conversations')
      return lists.all.loadMore()
    },

    queryConversations(options) {
      agentsOnly('list conversations')
      return lists.query(checkedQuery(options))
    },

    async setConversationStatus(status) {
      agentsOnly('set a conversation’s status')
      const roomId = openRoom()
      if (!roomId) throw new ChatError('bad_request', 'No conversation is open')
      const ack = await link.request('set_conversation_status', { roomId, status })
      if (!ack.ok) throw refused('set_conversation_status', ack.error)
      return ack.conversation
    },

    async assignConversation(roomId, agentId) {
      agentsOnly('assign conversations')
      // The server checks the ids and says what is wrong with them.
      const ack = await link.request('assign_conversation', { roomId, agentId })
      if (!ack.ok) throw refused('assign_conversation', ack.error)
      return ack.conversation
    },

    async searchMessages(text, options = {}) {
      agentsOnly('search messages')
      const { before, limit } = options
      const ack = await link.request('search_messages', { text, ...(before !== undefined && { before }), ...(limit !== undefined && { limit }) })
      if (!ack.ok) throw refused('search_messages', ack.error)
      return ack.messages
    },
  }
}
