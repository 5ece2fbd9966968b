/**
 * Opening Redis connections. ioredis and @socket.io/redis-adapter are optional peer dependencies,
 * loaded only when Redis is asked for, so that memory-only servers need neither package.
 */
import type { Redis } from 'ioredis'

/**
 * An ioredis connection (`new Redis(…)`), described by the members that tell it apart rather than
 * by ioredis' own type, so that `obrolan/server`'s options name no ioredis type and projects that
 * never use Redis type-check without it.
 */
export interface IoRedisConnection {
  readonly status: string
  duplicate(...args: never[]): unknown
  defineCommand(name: string, definition: { lua: string; numberOfKeys?: number; readOnly?: boolean }): void
}

type IoRedis = typeof import('ioredis')
type RedisAdapterModule = typeof import('@socket.io/redis-adapter')

export async function loadIoRedis(): Promise<IoRedis> {
  try {
    return await import('ioredis')
  } catch (error) {
    throw missing('ioredis', error)
  }
}

export async function loadRedisAdapter(): Promise<RedisAdapterModule> {
  try {
    return await import('@socket.io/redis-adapter')
  } catch (error) {
    throw missing('@socket.io/redis-adapter', error)
  }
}

/**
 * Connects to `url` and resolves once Redis answers. An unreachable Redis fails here, at start-up,
 * rather than leaving every later command waiting in ioredis' offline queue.
 */
export async function connectRedis(url: string): Promise<Redis> {
  const { Redis } = await loadIoRedis()
  const client = new Redis(url, { lazyConnect: true })
  // ioredis reports the failed attempt as an 'error' event as well as a rejection; this one is ours.
  const quiet = (): void => {}
  client.on('error', quiet)
  try {
    await client.connect()
  } catch (error) {
    client.disconnect()
    throw new Error(`Cannot reach Redis at ${redactUrl(url)}: ${(error as Error).message}`, { cause: error })
  } finally {
    client.off('error', quiet)
  }
  return client
}

/** Closes a connection politely, or at once if it is not connected. Never throws. */
export async function quitRedis(client: Redis): Promise<void> {
  if (client.status === 'end') return
  try {
    await client.quit()
  } catch {
    client.disconnect()
  }
}

function missing(name: string, cause: unknown): Error {
  return new Error(
    `The Redis option needs the optional package ${name}: npm install ioredis @socket.io/redis-adapter`,
    { cause },
  )
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@')
}

export interface ScriptDefinition {
  numberOfKeys: number
  lua: string
  readOnly?: boolean
}

/**
 * Registers Lua scripts as commands on the client (ioredis sends EVALSHA and falls back to EVAL
 * once per connection) and returns the client typed with them. Names carry a prefix so they
 * cannot clash with commands a shared client already has.
 */
export function defineScripts<Scripts>(client: Redis, scripts: Record<keyof Scripts & string, ScriptDefinition>): Scripts {
  for (const [name, definition] of Object.entries<ScriptDefinition>(scripts)) client.defineCommand(name, definition)
  return client as unknown as Scripts
}
