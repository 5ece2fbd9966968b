/**
 * The Lua scripts behind Redis presence. Each keeps a room's `:users` hash consistent with its
 * `:sockets` hash in one atomic step, whichever node (or sweeper) runs it. Rooms hold a handful of
 * sockets, so scanning a room's socket entries inside a script is cheap.
 */
import type { Redis } from 'ioredis'
import { defineScripts, type ScriptDefinition } from './redis-client'

type Arg = string | number

/** A node comes alive (or back, under a new id): liveness key with its TTL, and the registry. */
const REGISTER = `
redis.call('SET', KEYS[1], '1', 'PX', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
return 1
`

/**
 * Adds a socket; returns 1 when its user was not in the room before, 0 when they were, and -1
 * when the node's liveness key has expired (its entries are being swept; it must take a new id).
 */
const JOIN = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[4], ARGV[4])
return redis.call('HSETNX', KEYS[3], ARGV[2], ARGV[3])
`

/**
 * Removes a socket; returns 1 when that was its user's last socket in the room (on any node).
 * The room leaves the node's sweep index once the node has no socket left there.
 */
const LEAVE = `
local userId = redis.call('HGET', KEYS[1], ARGV[1])
if not userId then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
local userLeft, nodeLeft = true, true
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  if fields[i + 1] == userId then userLeft = false end
  if string.sub(fields[i], 1, #ARGV[3]) == ARGV[3] then nodeLeft = false end
end
if nodeLeft then redis.call('SREM', KEYS[3], ARGV[2]) end
if userLeft then
  redis.call('HDEL', KEYS[2], userId)
  return 1
end
return 0
`

/** Removes every socket of a dead node from one room; returns 1 when a user left with them. */
const SWEEP_ROOM = `
local fields = redis.call('HGETALL', KEYS[1])
local kept, removed = {}, {}
for i = 1, #fields, 2 do
  if string.sub(fields[i], 1, #ARGV[2]) == ARGV[2] then
    redis.call('HDEL', KEYS[1], fields[i])
    removed[fields[i + 1]] = true
  else
    kept[fields[i + 1]] = true
  end
end
redis.call('SREM', KEYS[3], ARGV[1])
local changed = 0
for userId in pairs(removed) do
  if not kept[userId] then
    redis.call('HDEL', KEYS[2], userId)
    changed = 1
  end
end
return changed
`

/** Drops a dead node from the registry once its sweep index is empty. */
const FORGET_NODE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('SCARD', KEYS[2]) > 0 then return 0 end
redis.call('SREM', KEYS[3], ARGV[1])
return 1
`

export interface PresenceScripts {
  /** KEYS alive, nodes · ARGV nodeId, ttlMs */
  obrolanPresenceRegister(...args: Arg[]): Promise<number>
  /** KEYS alive, sockets, users, nodeRooms · ARGV socketKey, userId, userJson, roomId → 1 | 0 | -1 */
  obrolanPresenceJoin(...args: Arg[]): Promise<number>
  /** KEYS sockets, users, nodeRooms · ARGV socketKey, roomId, nodePrefix → 1 | 0 */
  obrolanPresenceLeave(...args: Arg[]): Promise<number>
  /** KEYS sockets, users, deadNodeRooms · ARGV roomId, deadNodePrefix → 1 | 0 */
  obrolanPresenceSweepRoom(...args: Arg[]): Promise<number>
  /** KEYS alive, nodeRooms, nodes · ARGV nodeId → 1 | 0 */
  obrolanPresenceForgetNode(...args: Arg[]): Promise<number>
}

const SCRIPTS: Record<keyof PresenceScripts, ScriptDefinition> = {
  obrolanPresenceRegister: { numberOfKeys: 2, lua: REGISTER },
  obrolanPresenceJoin: { numberOfKeys: 4, lua: JOIN },
  obrolanPresenceLeave: { numberOfKeys: 3, lua: LEAVE },
  obrolanPresenceSweepRoom: { numberOfKeys: 3, lua: SWEEP_ROOM },
  obrolanPresenceForgetNode: { numberOfKeys: 3, lua: FORGET_NODE },
}

export const definePresenceScripts = (client: Redis): PresenceScripts => defineScripts<PresenceScripts>(client, SCRIPTS)
