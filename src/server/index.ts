// The `obrolan/server` entry, documented in README.md ("Running the server"). Nothing here names
// an ioredis type; the store that does lives in `obrolan/server/redis` (redis-entry.ts).
export { createChatServer } from './chat-server'
export type { ChatServer, ChatServerOptions } from './chat-server'
export type { UploadOptions } from './server-options'
export { createDiskFileStore } from './files/disk-file-store'
export { createMemoryFileStore } from './files/memory-file-store'
export type { FileStore, OpenedFile, StoredFile } from './files/file-store'
export { DEFAULT_REACTIONS, DEFAULT_UPLOAD_TYPES, MAX_UPLOAD_BYTES, UPLOAD_TYPES } from '../protocol'
export type { ChatServerRedisOptions } from './redis-scale-out'
export type { IoRedisConnection } from './redis-client'
export type { ChatIo, ChatSocket, SocketData } from './context'
export type { AllowedOrigins } from './origin-policy'
export type { StaticFilesOptions } from './http/static-routes'
export { createMemoryStore } from './memory-store'
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
export type { AccountStore, Agent, AgentRole, ApiKey, ApiScope, CannedReply, StoredAgent, StoredApiKey, StoredSession, StoredOneTimeToken, OneTimeTokenKind } from './accounts/types'
export type { Logger } from './logger'
export type { TrustProxy } from './client-address'
export { DEFAULT_RATE_LIMITS } from './rate-limit'
export type { RateLimit, RateLimits } from './rate-limit'
export { signUserId } from './identity-verification'
export type { DeliveryOptions } from './integrations/delivery-options'
export type { WhatsAppOptions } from './whatsapp/options'
export { verifyWebhook } from './integrations/webhook-signature'
export { WEBHOOK_EVENTS } from './integrations/webhook-events'
export type { WebhookEvent, WebhookEventType } from './integrations/webhook-events'
export type { BusinessHoursOptions, Weekday } from './site/business-hours'
export type { PreChatFieldOptions, PreChatFormOptions, SiteOptions } from './site/site-options'
export type { FollowUpEmailOptions, SmtpSettings } from './email/email-options'
