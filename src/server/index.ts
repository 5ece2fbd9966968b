// The `obrolan/server` entry, documented in README.md ("Running the server"). Nothing here names
// an ioredis type; the store that does lives in `obrolan/server/redis` (redis-entry.ts).
export { createChatServer } from './chat-server'
export type { ChatServer, ChatServerOptions } from './chat-server'
export type { ChatServerRedisOptions } from './redis-scale-out'
export type { IoRedisConnection } from './redis-client'
export type { ChatIo, ChatSocket, SocketData } from './context'
export type { AllowedOrigins } from './origin-policy'
export { createMemoryStore } from './memory-store'
export type { MemoryStoreOptions } from './memory-store'
export type { AppendResult, MessagePage, NewMessage, PageQuery, Store, StoredConversation } from './store'
export { DEFAULT_RATE_LIMITS } from './rate-limit'
export type { RateLimit, RateLimits } from './rate-limit'
export { signUserId } from './identity-verification'
