/**
 * The user's reactions in the message list before the server has confirmed them: laid over the
 * views of the messages they concern, so a tap shows at once.
 */
import { withReaction, type Author } from '../../protocol'
import type { ReactionIntent } from '../room/reactions'
import type { ChatMessage, MessageViewCache } from './message-view'

/**
 * The user's reactions that the server has not confirmed yet, laid over the views they concern.
 * With none pending (nearly always) the views are handed back as they are.
 */
export function withPendingReactions(views: ChatMessage[], intents: readonly ReactionIntent[], me: Author, cache: MessageViewCache): ChatMessage[] {
  if (intents.length === 0) return views
  const held = cache.overlaid
  if (held && held.views === views && held.intents === intents && held.meId === me.id) return held.result
  const byId = new Map<string, ReactionIntent[]>()
  for (const intent of intents) byId.set(intent.messageId, [...(byId.get(intent.messageId) ?? []), intent])
  const result = views.map((view) => {
    const mine = view.id === undefined || view.deleted ? undefined : byId.get(view.id)
    if (!mine) return view
    let reactions = view.reactions
    for (const intent of mine) reactions = withReaction(reactions, intent.emoji, me.id, intent.on)
    if (reactions === view.reactions) return view
    const { reactions: _before, ...rest } = view
    return reactions ? { ...rest, reactions } : rest
  })
  cache.overlaid = { views, intents, meId: me.id, result }
  return result
}
