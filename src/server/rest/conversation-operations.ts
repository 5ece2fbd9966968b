/**
 * REST operations on conversations, sessions and agents: the same store reads and write paths as
 * the agents' socket requests (handlers/conversations.ts, writes/conversations.ts), validated with
 * the same request schemas.
 */
import * as v from 'valibot'
import { CONVERSATION_PAGE, requestSchemas } from '../../protocol'
import type { ConversationStatus, ListConversationsRequest } from '../../protocol'
import { toConversation, type ServerContext } from '../context'
import { agentById, conversationPage, writeCursor } from '../handlers/conversations'
import { assign, changeStatus } from '../writes/conversations'
import type { StoredConversation } from '../store'
import { ApiError, type Operation } from './operation'
import { activeSessionsData, agentsData, conversationData, conversationListData, roomIdParam, routePresence } from './shapes'

const { requests } = requestSchemas
const roomParams = { roomId: roomIdParam }

/** The stored conversation, or a 404. */
export async function existing(ctx: ServerContext, roomId: string): Promise<StoredConversation> {
  const stored = await ctx.store.getConversation(roomId)
  if (!stored) throw new ApiError(404, 'not_found', `No conversation ${roomId}`)
  return stored
}

export function conversationOperations(ctx: ServerContext): Operation[] {
  return [
    {
      id: 'listConversations',
      method: 'GET',
      path: '/conversations',
      summary:
        'Conversations, newest activity first. Filters: status, assignee (an agent id, or none), updatedSince (ms). ' +
        'A `cursor` in the answer pages on; with updatedSince the list ends at the first older conversation.',
      scope: 'read',
      query: v.object({ ...requests.list_conversations.entries, updatedSince: v.optional(v.pipe(v.number(), v.finite())) }),
      response: conversationListData,
      async handle({ query }) {
        const { updatedSince, ...list } = query as ListConversationsRequest & { updatedSince?: number }
        if (updatedSince === undefined) return { message: 'ok', data: await conversationPage(ctx, list) }
        // The list runs newest first, so the first older conversation ends it. One more than asked
        // for says whether a newer one follows this page.
        const limit = list.limit ?? CONVERSATION_PAGE
        const wide = await conversationPage(ctx, { ...list, limit: limit + 1 })
        const recent = wide.conversations.filter((conversation) => conversation.updatedAt >= updatedSince)
        const page = recent.slice(0, limit)
        const last = page[page.length - 1]
        return { message: 'ok', data: { conversations: page, ...(recent.length > limit && last && { cursor: writeCursor(last) }) } }
      },
    },
    {
      id: 'getConversation',
      method: 'GET',
      path: '/conversations/{roomId}',
      summary: 'One conversation, with who is connected to it now.',
      scope: 'read',
      params: roomParams,
      response: conversationData,
      async handle({ params }) {
        const summary = await ctx.store.getSummary(params.roomId!)
        if (!summary) throw new ApiError(404, 'not_found', `No conversation ${params.roomId}`)
        return { message: 'ok', data: { conversation: await toConversation(ctx, summary) } }
      },
    },
    {
      id: 'setConversationStatus',
      method: 'PUT',
      path: '/conversations/{roomId}/status',
      summary: 'Sets the status (open, pending, closed); agents and the visitor see it at once.',
      scope: 'write',
      params: roomParams,
      body: v.omit(requests.set_conversation_status, ['roomId']),
      response: conversationData,
      async handle({ params, body }) {
        const roomId = params.roomId!
        const conversation = await changeStatus(ctx, roomId, body.status as ConversationStatus, () => existing(ctx, roomId))
        return { message: 'Status set', data: { conversation } }
      },
    },
    {
      id: 'assignConversation',
      method: 'PUT',
      path: '/conversations/{roomId}/assignee',
      summary: 'Assigns the conversation to an agent (`agentId`), or to nobody (`null`).',
      scope: 'write',
      params: roomParams,
      body: v.omit(requests.assign_conversation, ['roomId']),
      response: conversationData,
      async handle({ params, body }) {
        const roomId = params.roomId!
        const agentId = body.agentId as string | null
        const assignee = agentId === null ? undefined : await agentById(ctx, undefined, agentId)
        const conversation = await assign(ctx, roomId, assignee, () => existing(ctx, roomId))
        return { message: agentId === null ? 'Unassigned' : 'Assigned', data: { conversation } }
      },
    },
    {
      id: 'listActiveSessions',
      method: 'GET',
      path: '/sessions/active',
      summary: 'Every conversation someone is connected to now, with its presence in the shape of GET /api/session/{id}/connection-status.',
      scope: 'read',
      response: activeSessionsData,
      async handle() {
        const roomIds = (await ctx.presence.activeRooms()).sort()
        const [stored, presences] = await Promise.all([Promise.all(roomIds.map((roomId) => ctx.store.getConversation(roomId))), ctx.presence.presenceOfRooms(roomIds)])
        // A visitor with the widget open and nothing written yet has no conversation to act on.
        const sessions = roomIds.flatMap((roomId, i) => (stored[i] ? [{ sessionId: roomId, ...routePresence(presences[i]!) }] : []))
        return { message: 'Active sessions retrieved successfully', data: { sessions } }
      },
    },
    {
      id: 'listAgents',
      method: 'GET',
      path: '/agents',
      summary: 'The agents with accounts, to assign conversations to or to post as.',
      scope: 'read',
      response: agentsData,
      async handle() {
        const agents = ctx.accounts ? await ctx.accounts.listAgents() : []
        return { message: 'ok', data: { agents: agents.map(({ id, name, email, role }) => ({ id, name, email, role })) } }
      },
    },
  ]
}
