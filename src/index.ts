export * from './core'
export type {
  Author,
  Conversation,
  ConversationStatus,
  ErrorCode,
  Presence,
  PresenceUser,
  Role,
  VisitorIdentity,
  Watermarks,
  WireError,
  WireMessage,
} from './protocol'
export { PROTOCOL_VERSION, MAX_TEXT_LENGTH } from './protocol'
