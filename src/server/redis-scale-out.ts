/**
 * What one server node needs to share a deployment with others through Redis: the store, presence
 * and a Socket.IO adapter, over two connections (commands and publishes on one; the adapter's
 * subscriber, which Redis puts in subscribe-only mode, on the other).
 *
 * The adapter is @socket.io/redis-adapter (plain pub/sub) rather than the Redis streams adapter.
 * The streams adapter exists to support Socket.IO's connection-state recovery, replaying packets a
 * socket missed from a stream. We do not use that: a client that reconnects, on whatever node,
 * rejoins its room with the last seq it holds and the store hands it what it missed. So at-most-once
 * fan-out is all we need from the adapter, and pub/sub gives it without storing every packet.
 */
import type { Redis } from 'ioredis'
import type { Logger } from './logger'
import type { PresenceStore } from './presence'
import { connectRedis, loadRedisAdapter, quitRedis, type IoRedisConnection } from './redis-client'
import { DEFAULT_KEY_PREFIX, redisKeys } from './redis-keys'
import { createRedisPresence } from './redis-presence'
import { RedisStore } from './redis-store'

export interface ChatServerRedisOptions {
  /** `redis://…` or `rediss://…`: the server opens its connections and `close()` quits them. */
  url?: string
  /**
   * Or an ioredis connection you own, for commands; `close()` leaves it open. The adapter's
   * subscriber is a `duplicate()` of it, which the server closes.
   */
  client?: IoRedisConnection
  /** Prefix of every key and of the adapter's channels. Default `obrolan:`. */
  keyPrefix?: string
  /** How often this node refreshes its liveness key and sweeps dead nodes. Default 5000. */
  nodeHeartbeatMs?: number
  /** How long after its last beat a node's sockets are swept from presence. Default 15000. */
  nodeTtlMs?: number
}

export interface RedisScaleOut {
  store: RedisStore
  presence: PresenceStore
  /** For `new Server({ adapter })`. */
  adapter: (nsp: unknown) => unknown
  /** Quits the connections it opened. Call after the store, presence and Socket.IO are closed. */
  close(): Promise<void>
}

export async function createRedisScaleOut(
  config: string | ChatServerRedisOptions,
  now: () => number,
  logger: Logger,
): Promise<RedisScaleOut> {
  const options: ChatServerRedisOptions = typeof config === 'string' ? { url: config } : config
  if (options.client === undefined && typeof options.url !== 'string') {
    throw new TypeError('The redis option needs a url (redis://…) or a client')
  }
  const { createAdapter } = await loadRedisAdapter()
  const keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX
  const keys = redisKeys(keyPrefix)

  const opened: Redis[] = []
  try {
    const command = (options.client as Redis | undefined) ?? (await connectRedis(options.url as string))
    if (!options.client) opened.push(command)
    const subscriber = command.duplicate()
    opened.push(subscriber)
    const unwatch = [reportOutages(command, 'commands', logger), reportOutages(subscriber, 'subscriber', logger)]

    const store = new RedisStore(command, { keyPrefix })
    const presence = createRedisPresence({
      client: command,
      keyPrefix,
      now,
      logger,
      ...(options.nodeHeartbeatMs !== undefined && { heartbeatMs: options.nodeHeartbeatMs }),
      ...(options.nodeTtlMs !== undefined && { nodeTtlMs: options.nodeTtlMs }),
    })
    const adapter = createAdapter(command, subscriber, {
      key: keys.adapterChannel,
      // Answers to inter-node requests go to the asking node only, not to every node.
      publishOnSpecificResponseChannel: true,
    })
    return {
      store,
      presence,
      adapter,
      async close() {
        await Promise.all(opened.map(quitRedis))
        for (const stop of unwatch) stop()
      },
    }
  } catch (error) {
    await Promise.all(opened.map(quitRedis))
    throw error
  }
}

/**
 * ioredis reports every failed reconnection attempt as an 'error' event, and an 'error' nobody
 * listens to is printed by Node as an unhandled error, dozens of times per outage. One warning
 * when the connection is lost and one line when it is back is what an operator needs.
 */
function reportOutages(client: Redis, name: string, logger: Logger): () => void {
  let down = false
  const onError = (error: Error): void => {
    if (down) return
    down = true
    logger.error({ err: error, connection: name }, 'Redis connection lost; retrying')
  }
  const onReady = (): void => {
    if (!down) return
    down = false
    logger.info({ connection: name }, 'Redis connection is back')
  }
  client.on('error', onError)
  client.on('ready', onReady)
  return () => {
    client.off('error', onError)
    client.off('ready', onReady)
  }
}
