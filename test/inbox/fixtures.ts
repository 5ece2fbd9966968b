/** Conversations as the server announces them, for tests that need no DOM. */
import type { Author, Conversation } from '../../src/index'

const presence = (visitorConnected: boolean) => ({ users: {}, visitorConnected, agentConnected: false, totalVisitor: visitorConnected ? 1 : 0, totalAgent: 0 })

export function visitorAuthor(id: string, name?: string): Author {
  return { id, role: 'visitor', ...(name ? { name } : {}) }
}

export function conversation(roomId: string, overrides: Partial<Conversation> = {}): Conversation {
  return {
    roomId,
    visitor: visitorAuthor(`v-${roomId}`, roomId.toUpperCase()),
    status: 'open',
    lastSeq: 1,
    lastChangeSeq: 0,
    lastMessage: { seq: 1, author: visitorAuthor(`v-${roomId}`), text: `hello from ${roomId}`, createdAt: Date.UTC(2025, 2, 5, 11, 0) },
    watermarks: { visitor: { delivered: 0, read: 0 }, agent: { delivered: 0, read: 0 } },
    unread: { visitor: 0, agent: 1 },
    visitorMessages: 1,
    presence: presence(true),
    createdAt: Date.UTC(2025, 2, 5, 10, 0),
    updatedAt: Date.UTC(2025, 2, 5, 11, 0),
    ...overrides,
  }
}
