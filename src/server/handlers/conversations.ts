/** What only agents do: list conversations, set a conversation's status, assign it. */
import { CONVERSATION_PAGE } from '../../protocol'
import type { Author } from '../../protocol'
import { AGENTS_CHANNEL, conversationView, deliveredToAgents, roomChannel, toConversation } from '../context'
import type { ChatSocket, ServerContext } from '../context'
import { ChatError } from '../errors'
import type { ListPosition } from '../store'
import { authoriseExisting, requireAgent } from './access'
import type { Handler } from './types'

export const setConversationStatus: Handler<'set_conversation_status'> = async (ctx, socket, req) => {
  requireAgent(socket)
  return ctx.roomLock.run(req.roomId, async () => {
    await authoriseExisting(ctx, socket, req.roomId)
    await ctx.store.setStatus(req.roomId, req.status, ctx.now())
    return { conversation: await announceChange(ctx, req.roomId) }
  })
}

export const assignConversation: Handler<'assign_conversation'> = async (ctx, socket, req) => {
  requireAgent(socket)
  const assignee = req.agentId === null ? undefined : await agentById(ctx, socket, req.agentId)
  return ctx.roomLock.run(req.roomId, async () => {
    await authoriseExisting(ctx, socket, req.roomId)
    await ctx.store.setAssignee(req.roomId, assignee)
    return { conversation: await announceChange(ctx, req.roomId) }
  })
}

/**
 * The agent an id names. With accounts, any existing agent; with the owner's own authentication
 * the server knows no other agents, so an agent can assign only itself.
 */
async function agentById(ctx: ServerContext, socket: ChatSocket, agentId: string): Promise<Author> {
  const me = socket.data.user
  if (agentId === me.id) return { id: me.id, role: 'agent', ...(me.name !== undefined && { name: me.name }) }
  const agent = ctx.accounts ? (await ctx.accounts.listAgents()).find((candidate) => candidate.id === agentId) : undefined
  if (!agent) throw new ChatError(ctx.accounts ? 'not_found' : 'forbidden', ctx.accounts ? `No agent ${agentId}` : 'Without agent accounts an agent can assign only itself')
  return { id: agent.id, role: 'agent', name: agent.name }
}

/** Tells agents and the room's members that the conversation changed, and returns it. */
async function announceChange(ctx: ServerContext, roomId: string) {
  const summary = await ctx.store.getSummary(roomId)
  if (!summary) throw new Error(`conversation ${roomId} vanished while it was changed`)
  const conversation = await toConversation(ctx, summary)
  ctx.io.to(AGENTS_CHANNEL).to(roomChannel(roomId)).emit('conversation_updated', conversation)
  return conversation
}

export const listConversations: Handler<'list_conversations'> = async (ctx, socket, req) => {
  requireAgent(socket)
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
  // The inbox has received what the page shows: visitors' newest messages are delivered.
  ctx.background.add(Promise.all(page.map((summary) => deliveredToAgents(ctx, summary))), 'delivery of listed conversations')
  const presences = await ctx.presence.presenceOfRooms(page.map((summary) => summary.roomId))
  const last = page[page.length - 1]
  return {
    conversations: page.map((summary, i) => conversationView(summary, presences[i]!)),
    ...(summaries.length > limit && last && { cursor: writeCursor(last) }),
  }
}

/** A list position as an opaque token, so clients do not depend on what it holds. */
function writeCursor({ updatedAt, createdAt, roomId }: ListPosition): string {
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
