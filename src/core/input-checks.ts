/**
 * Checks of what an app hands the client for the server, with a clear error before anything is
 * sent: a visitor's context (the protocol's own bounds) and a conversation list's filter.
 */
import { check, MAX_CONVERSATION_PAGE, schemas, type VisitorContext } from '../protocol'
import { ChatError } from './errors'
import type { ConversationListOptions } from './room/conversation-list'

export function checkedContext(context: VisitorContext | undefined): VisitorContext | undefined {
  if (context === undefined) return undefined
  const result = check(schemas.visitorContext, context)
  if (!result.ok) throw new ChatError('bad_request', `Visitor context refused: ${result.reason}`)
  return result.value
}

export function checkedQuery(query: ConversationListOptions): ConversationListOptions {
  if (typeof query !== 'object' || query === null) throw new TypeError('queryConversations: give { status?, assignee?, limit? }')
  const { status, assignee, limit } = query
  const statuses = schemas.conversationStatus.options
  if (status !== undefined && !statuses.includes(status)) {
    throw new TypeError(`queryConversations: status must be one of ${statuses.join(', ')}`)
  }
  if (assignee !== undefined && assignee !== null && (typeof assignee !== 'string' || assignee === '')) {
    throw new TypeError('queryConversations: assignee must be an agent’s id, or null for the unassigned')
  }
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > MAX_CONVERSATION_PAGE)) {
    throw new TypeError(`queryConversations: limit must be a whole number from 1 to ${MAX_CONVERSATION_PAGE}`)
  }
  return query
}
