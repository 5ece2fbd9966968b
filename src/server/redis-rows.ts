/**
 * Redis replies as the Store's records: a conversation's hash, a summary script's reply, a flat
 * field list, and the scripts' `NOTFOUND` errors as NotFoundError.
 */
import type { Author, ConversationStatus, VisitorContact, VisitorContext, WireMessage } from '../protocol'
import { NotFoundError, type ConversationSummary, type StoredConversation } from './store'

/** The summary script's reply: the conversation's hash as a flat list, the two unread counts, the visitor's messages. */
export type SummaryReply = [string[], number, number, number] | null

export function parseConversation(hash: Record<string, string>): StoredConversation | undefined {
  if (hash.roomId === undefined) return undefined
  const number = (field: string): number => Number(hash[field] ?? 0)
  return {
    roomId: hash.roomId,
    visitor: JSON.parse(hash.visitor ?? '{}') as Author,
    status: (hash.status ?? 'open') as ConversationStatus,
    ...(hash.assignee && { assignee: JSON.parse(hash.assignee) as Author }),
    ...(hash.context && { context: JSON.parse(hash.context) as VisitorContext }),
    ...(hash.contact && { contact: JSON.parse(hash.contact) as VisitorContact }),
    lastSeq: number('lastSeq'),
    lastChangeSeq: number('lastChangeSeq'),
    ...(hash.lastMessage !== undefined && { lastMessage: JSON.parse(hash.lastMessage) as WireMessage }),
    watermarks: {
      visitor: { delivered: number('delivered:visitor'), read: number('read:visitor') },
      agent: { delivered: number('delivered:agent'), read: number('read:agent') },
    },
    createdAt: number('createdAt'),
    updatedAt: number('updatedAt'),
  }
}

export function parseSummary(reply: SummaryReply): ConversationSummary | undefined {
  if (reply === null) return undefined
  const [flat, visitorUnread, agentUnread, visitorMessages] = reply
  const conversation = parseConversation(pairs(flat))
  return conversation && { ...conversation, unread: { visitor: Number(visitorUnread), agent: Number(agentUnread) }, visitorMessages: Number(visitorMessages) }
}

/** The scripts report a missing room as a `NOTFOUND …` error; the contract says NotFoundError. */
export async function notFoundAware<T>(reply: Promise<T>): Promise<T> {
  try {
    return await reply
  } catch (error) {
    const message = (error as Error).message ?? ''
    if (message.startsWith('NOTFOUND ')) throw new NotFoundError(message.slice('NOTFOUND '.length))
    throw error
  }
}

/** A flat [field, value, …] reply as an object. */
export function pairs(flat: string[]): Record<string, string> {
  const hash: Record<string, string> = {}
  for (let i = 0; i + 1 < flat.length; i += 2) hash[flat[i] as string] = flat[i + 1] as string
  return hash
}
