/**
 * A ChatClient made of real nanostores atoms the test sets directly, with vi.fn() methods. The
 * widget only uses the client's public API, so this is enough for its logic; the Chromium suite
 * runs it against the real client and server.
 */
import { atom, computed } from 'nanostores'
import { createNanoEvents } from 'nanoevents'
import { vi } from 'vitest'
import type { Author, ChatClient, ChatClientEvents, ChatMessage, Conversation, ConversationQuery, ConnectionStatus, ConversationLoss, Presence, ServerFeatures, SiteInfo, VisitorContact, WireMessage } from '../../src/index'

export const VISITOR: Author = { id: 'v1', role: 'visitor' }
export const AGENT: Author = { id: 'a1', role: 'agent', name: 'Sari' }

let counter = 0

/** A ChatMessage; own visitor message with status `sent` and a server id unless told otherwise. */
export function makeMessage(overrides: Partial<ChatMessage> = {}): ChatMessage {
  counter++
  const own = overrides.own ?? true
  return {
    clientId: `c${counter}`,
    id: `m${counter}`,
    seq: counter,
    roomId: 'r1',
    author: own ? VISITOR : AGENT,
    text: `message ${counter}`,
    createdAt: Date.UTC(2024, 0, 2, 9, 5),
    status: 'sent',
    own,
    ...overrides,
  }
}

export function presence(agentConnected: boolean): Presence {
  return { users: {}, visitorConnected: true, agentConnected, totalVisitor: 1, totalAgent: agentConnected ? 1 : 0 }
}

export function createFakeClient() {
  const stores = {
    status: atom<ConnectionStatus>('connected'),
    failures: atom(0),
    messages: atom<ChatMessage[]>([]),
    typing: atom<Author[]>([]),
    presence: atom<Presence | undefined>(undefined),
    conversation: atom<Conversation | undefined>(undefined),
    unread: atom(0),
    hasOlder: atom(false),
    conversations: atom<Conversation[]>([]),
    conversationsHaveMore: atom(false),
    user: atom<Author | undefined>(VISITOR),
    conversationLost: atom<ConversationLoss | undefined>(undefined),
    site: atom<SiteInfo | undefined>(undefined),
    contact: atom<VisitorContact | undefined>(undefined),
    features: atom<ServerFeatures>({ uploads: { maxBytes: 10 * 1024 * 1024, types: ['image/png', 'image/jpeg', 'application/pdf'] }, reactions: ['👍', '❤️', '😂'] }),
  }
  const events = createNanoEvents<ChatClientEvents>()
  /** The filtered lists handed out, each a view of `conversations` (the test sets that one). */
  const queries: { options: Parameters<ChatClient['queryConversations']>[0]; closed: boolean; hasMore: ReturnType<typeof atom<boolean>> }[] = []

  const client = {
    ...stores,
    hasConversation: true,
    storageKey: 'obrolan',
    connect: vi.fn(),
    disconnect: vi.fn(),
    /** Like the real client: optimistic `pending` copy appended at once; empty text refused. */
    send: vi.fn((text: string): ChatMessage => {
      if (text.trim() === '') throw new Error('Message text is empty')
      const message = makeMessage({ text, status: 'pending', id: undefined, seq: undefined })
      stores.messages.set([...stores.messages.get(), message])
      return message
    }),
    retry: vi.fn(),
    discard: vi.fn(),
    cancel: vi.fn(),
    /** Like the real client: an optimistic `pending` copy with the file's description. */
    sendFile: vi.fn((file: Blob, options: { text?: string; name?: string; width?: number; height?: number } = {}): ChatMessage => {
      const name = options.name ?? (file as File).name ?? 'file'
      const attachment = { name, type: file.type, size: file.size, ...(options.width && { width: options.width, height: options.height }) }
      const message = makeMessage({ text: options.text ?? '', status: 'pending', id: undefined, seq: undefined, attachment })
      stores.messages.set([...stores.messages.get(), message])
      return message
    }),
    readFile: vi.fn(async (): Promise<Blob> => new Blob(['file'], { type: 'application/pdf' })),
    fileUrl: vi.fn((message: ChatMessage) => (message.attachment?.id ? `http://chat.test/api/files/${message.roomId}/${message.attachment.id}` : undefined)),
    react: vi.fn(),
    edit: vi.fn(async (id: string, text: string): Promise<ChatMessage> => {
      const list = stores.messages.get()
      const found = list.find((m) => m.id === id)
      if (!found) throw new Error(`No loaded message has id ${id}`)
      const edited = { ...found, text, editedAt: Date.now() }
      stores.messages.set(list.map((m) => (m === found ? edited : m)))
      return edited
    }),
    remove: vi.fn(async (id: string): Promise<ChatMessage> => {
      const list = stores.messages.get()
      const found = list.find((m) => m.id === id)
      if (!found) throw new Error(`No loaded message has id ${id}`)
      const deleted = { ...found, text: '', deleted: true }
      stores.messages.set(list.map((m) => (m === found ? deleted : m)))
      return deleted
    }),
    setTyping: vi.fn(),
    markRead: vi.fn(),
    loadOlder: vi.fn(async () => 0),
    openConversation: vi.fn(async (_roomId: string) => {}),
    setConversationStatus: vi.fn(async (): Promise<Conversation> => {
      throw new Error('not used by the widget')
    }),
    loadMoreConversations: vi.fn(async () => 0),
    queryConversations: vi.fn((options: Parameters<ChatClient['queryConversations']>[0]): ConversationQuery => {
      const entry = { options, closed: false, hasMore: atom(false) }
      queries.push(entry)
      const passes = (c: Conversation) =>
        (options.status === undefined || c.status === options.status) && (options.assignee === undefined || (c.assignee?.id ?? null) === options.assignee)
      return {
        conversations: computed(stores.conversations, (list) => list.filter(passes)),
        hasMore: entry.hasMore,
        loaded: atom(true),
        loadMore: vi.fn(async () => 0),
        close: () => void (entry.closed = true),
      }
    }),
    assignConversation: vi.fn(async (): Promise<Conversation> => {
      throw new Error('not used by the widget')
    }),
    searchMessages: vi.fn(async (): Promise<WireMessage[]> => []),
    setContext: vi.fn(),
    identify: vi.fn(),
    /** Like the real client: merges into the contact and resolves to it. */
    setContact: vi.fn(async (update: VisitorContact): Promise<VisitorContact> => {
      const current = stores.contact.get()
      const next = { ...current, ...update, ...((current?.fields || update.fields) && { fields: { ...current?.fields, ...update.fields } }) }
      stores.contact.set(next)
      return next
    }),
    on: vi.fn(<E extends keyof ChatClientEvents>(event: E, listener: ChatClientEvents[E]) => events.on(event, listener)),
    destroy: vi.fn(),
  } satisfies ChatClient

  return { client: client as typeof client & ChatClient, stores, queries, emit: events.emit.bind(events) }
}

export type FakeClient = ReturnType<typeof createFakeClient>
