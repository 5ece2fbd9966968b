/**
 * The protocol's events: what a client asks (each with an ack), what a server broadcasts, and the
 * two event maps socket.io is typed with. The data they carry is in types.ts.
 */
import type { Ack, AgentReadUpdate, Author, Conversation, ConversationStatus, Presence, SessionInfo, VisitorContext, Watermarks, WireMessage } from './types'
import type { Availability, VisitorContact } from './site-types'

// ---- requests (client → server, each with an ack) ----

export interface JoinRoomRequest {
  roomId: string
  /** Highest contiguous seq the client holds; omitted on first join (the server sends the newest page). */
  afterSeq?: number
  limit?: number
}
export interface JoinRoomResult {
  conversation: Conversation
  messages: WireMessage[]
  /** More messages exist after the last one returned (catch-up continues with get_history). */
  hasMore: boolean
  /** Messages older than the first one returned exist. */
  hasOlder: boolean
}

export interface LeaveRoomRequest {
  roomId: string
}

export interface SendMessageRequest {
  roomId: string
  clientId: string
  /** May be empty (or blank, then stored empty) when `attachmentId` is given. */
  text: string
  /** A file this sender uploaded to this room (`Attachment.id`), sent with the message. */
  attachmentId?: string
}
export interface MessageResult {
  message: WireMessage
}

export interface EditMessageRequest {
  roomId: string
  id: string
  text: string
}

export interface DeleteMessageRequest {
  roomId: string
  id: string
}

/** Adds (`on: true`) or takes back (`on: false`) this user's reaction; repeating either changes nothing. */
export interface ReactRequest {
  roomId: string
  id: string
  /** One of the server's `session.reactions`. */
  emoji: string
  on: boolean
}

export interface HistoryRequest {
  roomId: string
  /** Page backwards: messages with seq < beforeSeq, newest last. */
  beforeSeq?: number
  /** Page forwards: messages with seq > afterSeq, oldest first. */
  afterSeq?: number
  limit?: number
}
export interface HistoryResult {
  messages: WireMessage[]
  /** Forward paging: more after the last returned. Backward paging: more before the first returned. */
  hasMore: boolean
}

export interface ChangesRequest {
  roomId: string
  /** The highest change number the client has applied; changes after it come back. */
  afterChangeSeq: number
  limit?: number
}
export interface ChangesResult {
  /** The changed messages as they are now, in change order (by `changeSeq`). */
  messages: WireMessage[]
  /** More changes exist after the last one returned. */
  hasMore: boolean
}

export interface TypingRequest {
  roomId: string
  isTyping: boolean
}

export interface MarkRequest {
  roomId: string
  upToSeq: number
}

export interface SetConversationStatusRequest {
  roomId: string
  status: ConversationStatus
}

/** Agents: messages of every conversation whose text has all the query's words (as word beginnings). */
export interface SearchMessagesRequest {
  /** At most `MAX_SEARCH_LENGTH` characters; only its letters and digits count. */
  text: string
  /** Default `DEFAULT_PAGE`, at most `MAX_PAGE`. */
  limit?: number
  /** Only messages created before this time (ms): pass the oldest `createdAt` returned to page on. */
  before?: number
}
export interface SearchMessagesResult {
  /** Newest first. */
  messages: WireMessage[]
}

export interface ListConversationsRequest {
  status?: ConversationStatus
  /** An agent id: the conversations assigned to that agent; `null`: the unassigned ones. */
  assignee?: string | null
  /** Default `CONVERSATION_PAGE`, at most `MAX_CONVERSATION_PAGE`. */
  limit?: number
  /** From a previous answer's `cursor`: the next page. */
  cursor?: string
}
export interface ConversationsResult {
  /** Newest activity first. */
  conversations: Conversation[]
  /** Present when more conversations follow: send it back as `cursor`. */
  cursor?: string
}

export interface AssignRequest {
  roomId: string
  /** The agent to assign (an agent's id), or `null` to unassign. */
  agentId: string | null
}

export interface UpdateContextRequest {
  roomId: string
  context: VisitorContext
}

export interface UpdateContactRequest {
  roomId: string
  contact: VisitorContact
}

// ---- broadcasts (server → client) ----

export interface MessageStatusUpdate {
  roomId: string
  watermarks: Watermarks
}

export interface TypingIndicator {
  roomId: string
  user: Author
  isTyping: boolean
}

export interface ConnectionStatusUpdate {
  roomId: string
  presence: Presence
  timestamp: number
}

export interface Heartbeat {
  t: number
}

type AckFn<T extends object = object> = (ack: Ack<T>) => void

export interface ClientToServerEvents {
  join_room: (req: JoinRoomRequest, ack: AckFn<JoinRoomResult>) => void
  leave_room: (req: LeaveRoomRequest, ack: AckFn) => void
  send_message: (req: SendMessageRequest, ack: AckFn<MessageResult>) => void
  edit_message: (req: EditMessageRequest, ack: AckFn<MessageResult>) => void
  delete_message: (req: DeleteMessageRequest, ack: AckFn<MessageResult>) => void
  react_message: (req: ReactRequest, ack: AckFn<MessageResult>) => void
  get_history: (req: HistoryRequest, ack: AckFn<HistoryResult>) => void
  get_changes: (req: ChangesRequest, ack: AckFn<ChangesResult>) => void
  typing_indicator: (req: TypingRequest, ack?: AckFn) => void
  mark_delivered: (req: MarkRequest, ack?: AckFn) => void
  mark_read: (req: MarkRequest, ack?: AckFn) => void
  set_conversation_status: (req: SetConversationStatusRequest, ack: AckFn<{ conversation: Conversation }>) => void
  list_conversations: (req: ListConversationsRequest, ack: AckFn<ConversationsResult>) => void
  assign_conversation: (req: AssignRequest, ack: AckFn<{ conversation: Conversation }>) => void
  update_context: (req: UpdateContextRequest, ack?: AckFn) => void
  update_contact: (req: UpdateContactRequest, ack: AckFn<{ contact: VisitorContact }>) => void
  search_messages: (req: SearchMessagesRequest, ack: AckFn<SearchMessagesResult>) => void
}

export interface ServerToClientEvents {
  session: (info: SessionInfo) => void
  new_message: (message: WireMessage) => void
  message_edited: (message: WireMessage) => void
  message_deleted: (message: WireMessage) => void
  message_reacted: (message: WireMessage) => void
  message_status_update: (update: MessageStatusUpdate) => void
  typing_indicator: (update: TypingIndicator) => void
  connection_status_update: (update: ConnectionStatusUpdate) => void
  conversation_updated: (conversation: Conversation) => void
  availability_update: (availability: Availability) => void
  agent_read: (update: AgentReadUpdate) => void
  heartbeat: (beat: Heartbeat) => void
}
