// The `obrolan/server/redis` entry: a store that keeps conversations in Redis, for
// `createChatServer({ store })` on one node. Its types name ioredis', so it needs `ioredis`
// installed (for several nodes, `createChatServer({ redis })` sets up store, presence and fan-out).
export { createRedisStore } from './redis-store'
export type { CreateRedisStoreOptions, RedisStoreOptions } from './redis-store'
