// The `obrolan/server` entry, documented in README.md ("Running the server"). Redis-specific
// pieces that need ioredis' types live in `obrolan/server/redis` (redis-entry.ts).
export { createChatServer } from './public-options'
export type { ChatServerOptions, ChatServerRedisOptions, IoRedisConnection } from './public-options'
export type { ChatServer } from './chat-server'
export type { ChatIo, ChatSocket, SocketData } from './context'
export type { AllowedOrigins } from './origin-policy'
export { createMemoryStore } from './memory-store'
export type { MemoryStore, MemoryStoreOptions } from './memory-store'
export type { AppendResult, MessagePage, NewMessage, PageQuery, Store, StoredConversation } from './store'
export { DEFAULT_RATE_LIMITS } from './rate-limit'
export type { RateLimit, RateLimits } from './rate-limit'
export { signUserId } from './identity-verification'
