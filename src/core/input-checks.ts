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

/** A list's filter, as the server takes it; checked here so that a mistake throws where it was made. */
export function checkedQuery(query: ConversationListOptions): ConversationListOptions {
  const { status, assignee, limit } = query ?? {}
  const fine =
    (status === undefined || schemas.conversationStatus.options.includes(status)) &&
    (assignee === undefined || assignee === null || (typeof assignee === 'string' && assignee !== '')) &&
    (limit === undefined || (Number.isInteger(limit) && limit >= 1 && limit <= MAX_CONVERSATION_PAGE))
  if (!fine) throw new TypeError(`queryConversations: give { status?: 'open' | 'pending' | 'closed', assignee?: an agent id or null, limit?: 1 to ${MAX_CONVERSATION_PAGE} }`)
  return query
}
