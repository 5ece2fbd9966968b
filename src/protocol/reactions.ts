/**
 * How a reaction changes a message's reactions, the same on both sides: the server stores the
 * result, the client shows it before the server has answered. Idempotent per user and emoji.
 */
import type { Reaction } from './types'

/**
 * The reactions after `userId` adds (`on`) or takes back its `emoji`: the same array when that
 * changes nothing, `undefined` when none are left. Emoji keep the order they were first used in;
 * users the order they reacted in.
 */
export function withReaction(reactions: readonly Reaction[] | undefined, emoji: string, userId: string, on: boolean): Reaction[] | undefined {
  const list = reactions ?? []
  const at = list.findIndex((reaction) => reaction.emoji === emoji)
  const by = at === -1 ? [] : list[at]!.by
  if (by.includes(userId) === on) return reactions as Reaction[] | undefined
  const next = list.slice()
  const users = on ? [...by, userId] : by.filter((user) => user !== userId)
  if (at === -1) next.push({ emoji, by: users })
  else if (users.length) next[at] = { emoji, by: users }
  else next.splice(at, 1)
  return next.length ? next : undefined
}

/** Whether `userId` has reacted with `emoji`. */
export const hasReacted = (reactions: readonly Reaction[] | undefined, emoji: string, userId: string): boolean =>
  reactions?.some((reaction) => reaction.emoji === emoji && reaction.by.includes(userId)) ?? false
