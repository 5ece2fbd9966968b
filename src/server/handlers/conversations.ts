/** What only agents do: list conversations, set a conversation's status, assign it. */
import { CONVERSATION_PAGE } from '../../protocol'
import type { Author, ConversationsResult, ListConversationsRequest } from '../../protocol'
import { conversationView } from '../context'
import type { ServerContext } from '../context'
import { ChatError } from '../errors'
import type { ListPosition } from '../store'
import { assign, changeStatus } from '../writes/conversations'
import { authoriseExisting, requireAgent } from './access'
import type { Handler } from './types'

export const setConversationStatus: Handler<'set_conversation_status'> = async (ctx, socket, req) => {
  requireAgent(socket)
  return { conversation: await changeStatus(ctx, req.roomId, req.status, () => authoriseExisting(ctx, socket, req.roomId)) }
}

export const assignConversation: Handler<'assign_conversation'> = async (ctx, socket, req) => {
  requireAgent(socket)
  const assignee = req.agentId === null ? undefined : await agentById(ctx, socket.data.user, req.agentId)
  return { conversation: await assign(ctx, req.roomId, assignee, () => authoriseExisting(ctx, socket, req.roomId)) }
}

/**
 * The agent an id names. With accounts, any existing agent; with the owner's own authentication
 * the server knows no other agents, so an agent can assign only itself (`me`; the REST API has
 * no self and needs accounts).
 */
export async function agentById(ctx: ServerContext, me: Author | undefined, agentId: string): Promise<Author> {
  if (me && agentId === me.id) return { id: me.id, role: 'agent', ...(me.name !== undefined && { name: me.name }) }
  const agent = ctx.accounts ? (await ctx.accounts.listAgents()).find((candidate) => candidate.id === agentId) : undefined
  if (!agent) throw new ChatError(ctx.accounts ? 'not_found' : 'forbidden', ctx.accounts ? `No agent ${agentId}` : 'Without agent accounts an agent can assign only itself')
  return { id: agent.id, role: 'agent', name: agent.name }
}

export const listConversations: Handler<'list_conversations'> = async (ctx, socket, req) => {
  requireAgent(socket)
  return conversationPage(ctx, req, socket.data.user.id)
}

/**
 * One page of the agents' list, newest activity first; the REST API pages the same way. For one
 * agent (`agentId`), each conversation it has opened carries its own read mark.
 */
export async function conversationPage(ctx: ServerContext, req: ListConversationsRequest, agentId?: string): Promise<ConversationsResult> {
  const limit = req.limit ?? CONVERSATION_PAGE
  const after = req.cursor === undefined ? undefined : readCursor(req.cursor)
  // One more than asked for says whether another page follows.
  const summaries = await ctx.store.listConversations({
    limit: limit + 1,
    ...(req.status !== undefined && { status: req.status }),
    ...(req.assignee !== undefined && { assigneeId: req.assignee }),
    ...(after && { after }),
  })
  const page = summaries.slice(0, limit)
  const roomIds = page.map((summary) => summary.roomId)
  const [presences, reads] = await Promise.all([
    ctx.presence.presenceOfRooms(roomIds),
    agentId === undefined ? undefined : ctx.store.getAgentReads(agentId, roomIds),
  ])
  const last = page[page.length - 1]
  return {
    conversations: page.map((summary, i) => conversationView(summary, presences[i]!, reads?.get(summary.roomId))),
    ...(summaries.length > limit && last && { cursor: writeCursor(last) }),
  }
}

/** A list position as an opaque token, so clients do not depend on what it holds. */
export function writeCursor({ updatedAt, createdAt, roomId }: ListPosition): string {
  return Buffer.from(JSON.stringify([updatedAt, createdAt, roomId])).toString('base64url')
}

function readCursor(cursor: string): ListPosition {
  try {
    const [updatedAt, createdAt, roomId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[]
    if (typeof updatedAt === 'number' && typeof createdAt === 'number' && typeof roomId === 'string') return { updatedAt, createdAt, roomId }
  } catch {
    // Not JSON: refused below like any other cursor this server did not write.
  }
  throw new ChatError('bad_request', 'cursor is not one this server wrote; start from the first page')
}
