/**
 * `createChatServer` as `obrolan/server` publishes it. The options are chat-server.ts's, except
 * that a Redis connection you pass in is described by the few members that tell an ioredis client
 * apart, rather than by ioredis' own `Redis` type: the entry's declarations then name no ioredis
 * type, so a project that never uses Redis type-checks (`skipLibCheck: false`) without ioredis.
 */
import { createChatServer as createServer, type ChatServer, type ChatServerOptions as ServerOptions } from './chat-server'
import type { ChatServerRedisOptions as RedisOptions } from './redis-scale-out'

/** An ioredis connection (`new Redis(…)` from the `ioredis` package). */
export interface IoRedisConnection {
  readonly status: string
  duplicate(...args: never[]): unknown
  defineCommand(name: string, definition: { lua: string; numberOfKeys?: number; readOnly?: boolean }): void
}

export interface ChatServerRedisOptions extends Omit<RedisOptions, 'client'> {
  /**
   * Or an ioredis connection you own, for commands; `close()` leaves it open. The adapter's
   * subscriber is a `duplicate()` of it, which the server closes.
   */
  client?: IoRedisConnection
}

export interface ChatServerOptions extends Omit<ServerOptions, 'redis'> {
  /**
   * Share conversations, presence and broadcasts with other server nodes through Redis:
   * `'redis://host:6379'` or `{ url | client, keyPrefix, nodeHeartbeatMs, nodeTtlMs }`. Needs the
   * optional packages `ioredis` and `@socket.io/redis-adapter`. Every node must share `secret`
   * (visitor tokens) and the agent authentication. Default: none, everything in this process.
   */
  redis?: string | ChatServerRedisOptions
}

/** Starts the chat server; resolves once it listens (or is attached to `httpServer`). */
export const createChatServer = createServer as (options?: ChatServerOptions) => Promise<ChatServer>
