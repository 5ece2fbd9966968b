/**
 * The client's public shape: its options, its events and what `createChatClient` returns.
 */
import type { ReadableAtom } from 'nanostores'
import type { Author, Conversation, ConversationStatus, Presence, Role, SessionInfo, SiteInfo, VisitorContact, VisitorContext, VisitorIdentity, WireMessage } from '../protocol'
import type { SearchOptions } from './agent-requests'
import type { BackoffOptions } from './connection/backoff'
import type { ConnectionStatus, StatusChange } from './connection/machine'
import type { ChatError } from './errors'
import type { SendFileOptions } from './files/attachments'
import type { ConversationListOptions } from './room/conversation-list'
import type { ConversationQuery } from './room/conversation-lists'
import type { ConversationLoss } from './room/room'
import type { ServerFeatures } from './session/features'
import type { TokenSource } from './session/handshake'
import type { TabSharing } from './tabs/tab-sharing'
import type { SocketTuning } from './transport/socket-link'
import type { Clock } from './util/clock'
import type { Environment } from './util/environment'
import type { StorageLike } from './util/storage'
import type { ChatMessage } from './view/message-view'

export interface ChatClientOptions {
  /** The server's base URL, e.g. `https://chat.example.com`. */
  url: string
  /** Default `visitor`. Agents also pass `token`. */
  role?: Role
  /**
   * Agents: the credential the server verifies, or a function that returns a fresh one; it is
   * called before every connection attempt, and again when the server refuses an expired one.
   */
  token?: TokenSource
  /** Visitors: who the site says this is, signed by its backend (see `identify`). */
  identity?: VisitorIdentity
  /** A display name sent with the handshake. */
  name?: string
  /** Visitors: where the visitor is (page, browser), shown to agents; see `setContext`. */
  context?: VisitorContext
  /** Where the visitor identity and the outbox persist. Default `localStorage`, else memory. */
  storage?: StorageLike
  /** Prefix of the storage keys; give two clients on one page different prefixes. Default `obrolan`. */
  storageKey?: string
  /** Connect as soon as the client is made. Default true. */
  autoConnect?: boolean
  clock?: Clock
  environment?: Environment
  backoff?: BackoffOptions
  /** How long a request waits for its ack before the link counts as dead. Default 10 000 ms. */
  ackTimeoutMs?: number
  /** Silence tolerated beyond the server's heartbeat period. Default 10 000 ms. */
  heartbeatGraceMs?: number
  /** A connection must stay up this long before the backoff forgets earlier failures. Default 5 000 ms. */
  minUptimeMs?: number
  /** Least time between two "still typing" signals. Default 2 000 ms. */
  typingIntervalMs?: number
  /** A remote typist disappears after this long without a refresh. Default 5 000 ms. */
  typingTimeoutMs?: number
  /** Messages per history page. Default 50. */
  pageSize?: number
  /** socket.io-client Manager options (`transports`, `path`, `query`, …) plus `timeout`; see `SocketTuning`. */
  socket?: SocketTuning
  /**
   * Visitors: `shareTabs()` gives all tabs of this browser (clients with the same storage key and
   * identity, on the same storage) one connection: a leader tab holds the socket and the others
   * use it; the next takes over when it closes. Default: a connection per client. The widget
   * turns it on.
   */
  tabs?: TabSharing | undefined
}

export interface ChatClientEvents {
  status(change: StatusChange): void
  /** A message from someone else arrived live. */
  message(message: ChatMessage): void
  /** The server refused one of the user's messages; it stays in the list as `failed`. */
  failed(message: ChatMessage): void
  /** Something went wrong that the client recovered from (a malformed event, a refused request). */
  error(error: ChatError): void
  session(info: SessionInfo): void
  /**
   * The server no longer has the open conversation (it restarted on a store that lost it): the
   * messages shown are gone; unsent ones go to the conversation the server has now.
   */
  conversationLost(loss: ConversationLoss): void
}

export interface ChatClient {
  readonly status: ReadableAtom<ConnectionStatus>
  /**
   * Connection attempts that failed in a row since the link was last up: 0 while connected or
   * on the first try after a drop; 1 or more while the server cannot be reached.
   */
  readonly failures: ReadableAtom<number>
  /** The open room's messages: confirmed in server order, then unconfirmed in send order. */
  readonly messages: ReadableAtom<ChatMessage[]>
  /** Who else is typing in the open room. */
  readonly typing: ReadableAtom<Author[]>
  readonly presence: ReadableAtom<Presence | undefined>
  /** The open room's conversation (status, watermarks, presence, unread counts). */
  readonly conversation: ReadableAtom<Conversation | undefined>
  /** Messages from the other side in the open room that this user has not read. */
  readonly unread: ReadableAtom<number>
  /** Older messages than the first loaded one exist. */
  readonly hasOlder: ReadableAtom<boolean>
  /**
   * Agents: the conversations loaded so far, newest activity first: the first page on every
   * connection, more with `loadMoreConversations`, every change merged in live. Visitors: empty.
   */
  readonly conversations: ReadableAtom<Conversation[]>
  /** Agents: more conversations than `conversations` holds are on the server. */
  readonly conversationsHaveMore: ReadableAtom<boolean>
  /** Who this client is, once the server has said. */
  readonly user: ReadableAtom<Author | undefined>
  /** The last conversation the server lost while this client had it open, until another is opened. */
  readonly conversationLost: ReadableAtom<ConversationLoss | undefined>
  /** Visitors: the site's availability (agents online, business hours), away settings and pre-chat form. */
  readonly site: ReadableAtom<SiteInfo | undefined>
  /** Visitors: what the visitor told the team (`setContact`), as the server keeps it once it has answered. */
  readonly contact: ReadableAtom<VisitorContact | undefined>
  /** What the server takes besides text: files (`uploads`) and the emoji it offers as `reactions`. */
  readonly features: ReadableAtom<ServerFeatures>
  /**
   * True when the storage already holds a conversation (a returning visitor, or an agent) or
   * unsent messages: a reason to connect before the user opens the chat, so unread messages can
   * be shown and the outbox sent.
   */
  readonly hasConversation: boolean
  /** The prefix of this client's storage keys (`storageKey`); a UI keeps its own state beside them. */
  readonly storageKey: string

  connect(): void
  disconnect(): void
  /** Shows the message at once as `pending` and sends it when it can; never drops it. */
  send(text: string): ChatMessage
  /** Puts a `failed` message back in line. */
  retry(clientId: string): void
  /** Drops a `failed` message the user gave up on. */
  discard(clientId: string): void
  /**
   * Sends a file (with an optional caption) as a message: shown at once as `pending`, its bytes
   * uploaded over HTTP while connected (the message's `progress` says how far), then the message
   * sent. Throws `ChatError` for a file the server does not take (`too_large`, `unsupported_type`).
   */
  sendFile(file: Blob, options?: SendFileOptions): ChatMessage
  /** Cancels a file message whose file has not reached the server; it is dropped. */
  cancel(clientId: string): void
  /** The bytes of a message's file (the user's own unsent one from this device, else from the server). */
  readFile(message: ChatMessage): Promise<Blob>
  /** The file's address on the server, once it is there (reading it needs credentials: see `readFile`). */
  fileUrl(message: ChatMessage): string | undefined
  /**
   * Adds (`on`, the default) or takes back this user's reaction. Shown at once, sent while
   * connected (again after a reconnect until the server has it); throws for an emoji the server
   * does not offer or a message that is not loaded or deleted.
   */
  react(messageId: string, emoji: string, on?: boolean): void
  edit(messageId: string, text: string): Promise<ChatMessage>
  remove(messageId: string): Promise<ChatMessage>
  setTyping(isTyping: boolean): void
  /** Marks everything loaded in the open room as read. */
  markRead(): void
  /** Loads the page before the oldest loaded message; resolves to how many came. */
  loadOlder(): Promise<number>
  /** Agents: switch the open room. Resolves once joined (at once when offline: joins on connect). */
  openConversation(roomId: string): Promise<void>
  /** Agents: the open conversation's status. */
  setConversationStatus(status: ConversationStatus): Promise<Conversation>
  /** Agents: the next page of `conversations`; resolves to how many came (0 when there are no more). */
  loadMoreConversations(): Promise<number>
  /**
   * Agents: a list of the conversations with this status and/or assignee (an agent's id, `null`
   * for the unassigned), paged and live like `conversations`; `close()` it when done.
   */
  queryConversations(options: ConversationListOptions): ConversationQuery
  /** Agents: assigns a conversation to an agent (by id), or to nobody with `null`. */
  assignConversation(roomId: string, agentId: string | null): Promise<Conversation>
  /** Agents: messages of every conversation whose words begin with the words of `text`, newest first. */
  searchMessages(text: string, options?: SearchOptions): Promise<WireMessage[]>
  /**
   * Visitors: tells agents where the visitor is now (the page, the browser). Sent at once when
   * connected and with every later handshake; throws `ChatError` (`bad_request`) for a context
   * the protocol refuses (too long a URL, …).
   */
  setContext(context: VisitorContext): void
  /**
   * Visitors: tells the team a name, an e-mail address or answers to the site's form fields (they
   * merge into what was told before; `''` removes one). Kept in storage and sent with every
   * connection, so it is never lost offline; resolves to the contact as the server keeps it (or,
   * offline, as this client will send it). Rejects with `bad_request` for an address that is not one.
   */
  setContact(contact: VisitorContact): Promise<VisitorContact>
  /**
   * Visitors: tells the server who this is, as signed by the site's backend, and reconnects with
   * it. A refused identity is reported on `error` and the visitor stays anonymous. `undefined`
   * goes back to anonymous.
   */
  identify(identity: VisitorIdentity | undefined): void
  on<E extends keyof ChatClientEvents>(event: E, listener: ChatClientEvents[E]): () => void
  /** Disconnects and releases timers and listeners. The persisted outbox stays. */
  destroy(): void
}

export type { StatusChange }
