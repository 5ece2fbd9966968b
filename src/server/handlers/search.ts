/** Agents search every conversation's messages; a visitor may not (it has one conversation, and others' are not its to see). */
import { requireAgent } from './access'
import type { Handler } from './types'

export const searchMessages: Handler<'search_messages'> = async (ctx, socket, req) => {
  requireAgent(socket)
  const messages = await ctx.store.searchMessages({
    text: req.text,
    limit: req.limit ?? ctx.pageSize,
    ...(req.before !== undefined && { before: req.before }),
  })
  return { messages }
}
