// The `obrolan` entry: the framework-free client. Every name here is documented in README.md
// ("Using the client"); test helpers (such as `manualEnvironment`) are imported from src/ by the
// tests and are not part of the package.
export { createChatClient, ChatError, memoryStorage } from './core'
export type {
  BackoffOptions,
  ChatAttachment,
  ChatClient,
  ChatClientEvents,
  ChatClientOptions,
  ChatErrorCode,
  ChatMessage,
  Clock,
  ConnectionStatus,
  ConversationListOptions,
  ConversationLoss,
  ConversationQuery,
  Environment,
  MessageStatus,
  SendFileOptions,
  ServerFeatures,
  SearchOptions,
  StatusChange,
  SocketTuning,
  StatusReason,
  StorageLike,
} from './core'
export type {
  Attachment,
  Author,
  Conversation,
  ConversationStatus,
  ErrorCode,
  Presence,
  PresenceUser,
  Reaction,
  Role,
  SessionInfo,
  UploadLimits,
  PageVisit,
  VisitorContext,
  VisitorIdentity,
  Watermark,
  Watermarks,
  WireError,
  WireMessage,
} from './protocol'
export { PROTOCOL_VERSION, MAX_TEXT_LENGTH } from './protocol'
