export { createChatServer } from './chat-server'
export type { ChatServer, ChatServerOptions } from './chat-server'
export type { ChatIo, ChatSocket, SocketData } from './context'
export type { AllowedOrigins } from './origin-policy'
export { MemoryStore, createMemoryStore } from './memory-store'
export { createMemoryAccountStore } from './accounts/memory-account-store'
export type { AccountStore, Agent, AgentRole, StoredAgent, StoredSession, StoredOneTimeToken, OneTimeTokenKind } from './accounts/types'
export { RedisStore, createRedisStore } from './redis-store'
export type { CreateRedisStoreOptions, RedisStoreOptions } from './redis-store'
export type { ChatServerRedisOptions } from './redis-scale-out'
export { SqlStore, createSqlStore } from './sql'
export type { CreateSqlStoreOptions } from './sql'
export { createMemoryPresence } from './memory-presence'
export { createRedisPresence } from './redis-presence'
export type { RedisPresenceOptions } from './redis-presence'
export type { PresenceStore } from './presence'
export { NotFoundError } from './store'
export type {
  AppendResult,
  ConversationQuery,
  ConversationSummary,
  MessagePage,
  MessagePatch,
  NewMessage,
  PageQuery,
  SearchQuery,
  Store,
  StoredConversation,
} from './store'
export type { Logger } from './logger'
export type { TrustProxy } from './client-address'
export { DEFAULT_RATE_LIMITS } from './rate-limit'
export type { RateLimit, RateLimits } from './rate-limit'
export { signUserId } from './identity-verification'
