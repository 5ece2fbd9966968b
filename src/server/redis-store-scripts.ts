/**
 * The Lua scripts behind RedisStore. Each one is a single atomic step in Redis, so several server
 * nodes can share a room without locks: whatever runs in a script sees no other client's writes
 * half-done. Key names come in as KEYS (see redis-keys.ts). Timestamps and watermarks are stored as
 * the strings they arrived as, never re-formatted by Lua's number printing, so nothing is rounded.
 */
import type { Redis } from 'ioredis'
import { defineScripts, type ScriptDefinition } from './redis-client'

type Arg = string | number

/** One conversation per visitor: the first caller creates it, every racer gets the same roomId. */
const CREATE_CONVERSATION = `
local existing = redis.call('GET', KEYS[1])
if existing then return existing end
if redis.call('EXISTS', KEYS[2]) == 1 then return redis.error_reply('ERR room ' .. ARGV[1] .. ' belongs to another visitor') end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2],
  'roomId', ARGV[1], 'visitor', ARGV[2], 'status', 'open', 'lastSeq', 0, 'lastChangeSeq', 0,
  'delivered:visitor', 0, 'read:visitor', 0, 'delivered:agent', 0, 'read:agent', 0,
  'createdAt', ARGV[3], 'updatedAt', ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
return ARGV[1]
`

/**
 * Idempotent append: a known clientId returns the stored copy; otherwise the room's counter gives
 * the next seq and the message, its indexes, the role's authored set and the conversation summary
 * are written together. The message JSON arrives without its seq (ARGV[4] is the object's text
 * after the opening brace) and the seq is spliced in front, so Lua never decodes user text.
 */
const APPEND_MESSAGE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return redis.error_reply('NOTFOUND conversation ' .. ARGV[1]) end
local earlier = redis.call('HGET', KEYS[3], ARGV[2])
if earlier then return {0, redis.call('HGET', KEYS[2], earlier)} end
local seq = redis.call('HINCRBY', KEYS[1], 'lastSeq', 1)
local message = '{"seq":' .. seq .. ',' .. ARGV[4]
redis.call('HSET', KEYS[2], seq, message)
redis.call('HSET', KEYS[3], ARGV[2], seq)
redis.call('HSET', KEYS[4], ARGV[3], seq)
redis.call('ZADD', KEYS[5], seq, seq)
redis.call('HSET', KEYS[1], 'lastMessage', message)
if tonumber(ARGV[5]) > tonumber(redis.call('HGET', KEYS[1], 'updatedAt')) then
  redis.call('HSET', KEYS[1], 'updatedAt', ARGV[5])
  redis.call('ZADD', KEYS[6], ARGV[5], ARGV[1])
end
return {1, message}
`

/** A message by id: its seq and JSON, or nil. */
const GET_MESSAGE = `
local seq = redis.call('HGET', KEYS[1], ARGV[1])
if not seq then return false end
return {seq, redis.call('HGET', KEYS[2], seq)}
`

/**
 * Compare-and-set of one message: written only if it is still exactly what the caller read, so
 * two nodes editing the same message cannot lose one edit's fields to the other. The room's next
 * change number is taken here and spliced in front of the replacement (ARGV[3] is the JSON after
 * its opening brace), the message goes to the end of the change index, and lastMessage follows
 * when the message is the room's last. Returns the stored JSON, or false when the CAS lost.
 */
const REPLACE_MESSAGE = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return false end
local changeSeq = redis.call('HINCRBY', KEYS[2], 'lastChangeSeq', 1)
local message = '{"changeSeq":' .. changeSeq .. ',' .. ARGV[3]
redis.call('HSET', KEYS[1], ARGV[1], message)
redis.call('ZADD', KEYS[3], changeSeq, ARGV[1])
if redis.call('HGET', KEYS[2], 'lastSeq') == ARGV[1] then redis.call('HSET', KEYS[2], 'lastMessage', message) end
return message
`

/**
 * A conversation's hash with its unread counts: messages of each side above the other side's
 * read watermark. Returns nil for an unknown room, else { flat HGETALL, visitor unread, agent
 * unread, visitor messages }.
 */
const SUMMARY = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local readVisitor = redis.call('HGET', KEYS[1], 'read:visitor')
local readAgent = redis.call('HGET', KEYS[1], 'read:agent')
return {
  redis.call('HGETALL', KEYS[1]),
  redis.call('ZCOUNT', KEYS[3], '(' .. readVisitor, '+inf'),
  redis.call('ZCOUNT', KEYS[2], '(' .. readAgent, '+inf'),
  redis.call('ZCARD', KEYS[2]),
}
`

/**
 * One agent's own read mark: made on the first call, then only raised, never past lastSeq.
 * Returns { mark, visitor messages at or below it, 1 if made or raised else 0 }.
 */
const RAISE_AGENT_READ = `
local lastSeq = redis.call('HGET', KEYS[1], 'lastSeq')
if not lastSeq then return redis.error_reply('NOTFOUND conversation ' .. ARGV[3]) end
local target = ARGV[2]
if tonumber(lastSeq) < tonumber(target) then target = lastSeq end
if tonumber(target) < 0 then target = '0' end
local held = redis.call('HGET', KEYS[2], ARGV[1])
local changed = 0
if (not held) or tonumber(target) > tonumber(held) then
  redis.call('HSET', KEYS[2], ARGV[1], target)
  held = target
  changed = 1
end
return {held, redis.call('ZCOUNT', KEYS[3], '-inf', held), changed}
`

/** One agent's own read mark and the visitor messages at or below it, or nil when it has none. */
const AGENT_READ = `
local held = redis.call('HGET', KEYS[1], ARGV[1])
if not held then return false end
return {held, redis.call('ZCOUNT', KEYS[2], '-inf', held)}
`

/** Monotonic and clamped to lastSeq; returns all four watermarks. */
const RAISE_WATERMARK = `
local lastSeq = redis.call('HGET', KEYS[1], 'lastSeq')
if not lastSeq then return redis.error_reply('NOTFOUND conversation ' .. ARGV[3]) end
local target = ARGV[2]
if tonumber(lastSeq) < tonumber(target) then target = lastSeq end
if tonumber(target) > tonumber(redis.call('HGET', KEYS[1], ARGV[1])) then
  redis.call('HSET', KEYS[1], ARGV[1], target)
end
return redis.call('HMGET', KEYS[1], 'delivered:visitor', 'read:visitor', 'delivered:agent', 'read:agent')
`

/** Sets status and updatedAt (re-scoring the list); returns the conversation hash, or an error. */
const SET_STATUS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return redis.error_reply('NOTFOUND conversation ' .. ARGV[3]) end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'updatedAt', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return redis.call('HGETALL', KEYS[1])
`

/**
 * Deletes a conversation and every key of its room if it is still closed and last updated before
 * the cutoff (it may have been reopened since the caller looked); the visitor's link goes too when
 * it still names this room. Returns 1 when deleted, 0 when the room no longer qualifies.
 */
const DELETE_CLOSED = `
if redis.call('HGET', KEYS[1], 'status') ~= 'closed' then return 0 end
if not (tonumber(redis.call('HGET', KEYS[1], 'updatedAt')) < tonumber(ARGV[2])) then return 0 end
if redis.call('GET', KEYS[9]) == ARGV[1] then redis.call('DEL', KEYS[9]) end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[10])
redis.call('ZREM', KEYS[8], ARGV[1])
return 1
`

/** Sets one conversation field (JSON), or removes it when the value is empty; returns the hash. */
const SET_FIELD = `
if redis.call('EXISTS', KEYS[1]) == 0 then return redis.error_reply('NOTFOUND conversation ' .. ARGV[3]) end
if ARGV[2] == '' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return redis.call('HGETALL', KEYS[1])
`

export interface StoreScripts {
  /** KEYS visitor, conversation, conversations · ARGV roomId, visitorJson, now → roomId */
  obrolanCreateConversation(...args: Arg[]): Promise<string>
  /** KEYS conversation, messages, clientIds, ids, authored, conversations · ARGV roomId, clientId, id, body, createdAt */
  obrolanAppendMessage(...args: Arg[]): Promise<[created: 0 | 1, json: string]>
  /** KEYS ids, messages · ARGV id */
  obrolanGetMessage(...args: Arg[]): Promise<[seq: string, json: string] | null>
  /** KEYS messages, conversation, changes · ARGV seq, expected, replacement body → stored JSON or null */
  obrolanReplaceMessage(...args: Arg[]): Promise<string | null>
  /** KEYS conversation, authored:visitor, authored:agent → [flat HGETALL, visitor unread, agent unread, visitor messages] or null */
  obrolanSummary(...args: Arg[]): Promise<[string[], number, number, number] | null>
  /** KEYS conversation, agentReads, authored:visitor · ARGV agentId, upToSeq, roomId → [mark, visitor messages up to it, changed] */
  obrolanRaiseAgentRead(...args: Arg[]): Promise<[string, number, 0 | 1]>
  /** KEYS agentReads, authored:visitor · ARGV agentId → [mark, visitor messages up to it] or null */
  obrolanAgentRead(...args: Arg[]): Promise<[string, number] | null>
  /** KEYS conversation · ARGV field, upToSeq, roomId → [dv, rv, da, ra] */
  obrolanRaiseWatermark(...args: Arg[]): Promise<string[]>
  /** KEYS conversation, conversations · ARGV status, now, roomId → flat HGETALL */
  obrolanSetStatus(...args: Arg[]): Promise<string[]>
  /** KEYS conversation · ARGV field, value ('' removes), roomId → flat HGETALL */
  obrolanSetField(...args: Arg[]): Promise<string[]>
  /** KEYS conversation, messages, clientIds, ids, authored:visitor, authored:agent, changes, conversations, visitor, agentReads · ARGV roomId, cutoff → 1 or 0 */
  obrolanDeleteClosed(...args: Arg[]): Promise<number>
}

const SCRIPTS: Record<keyof StoreScripts, ScriptDefinition> = {
  obrolanCreateConversation: { numberOfKeys: 3, lua: CREATE_CONVERSATION },
  obrolanAppendMessage: { numberOfKeys: 6, lua: APPEND_MESSAGE },
  obrolanGetMessage: { numberOfKeys: 2, lua: GET_MESSAGE, readOnly: true },
  obrolanReplaceMessage: { numberOfKeys: 3, lua: REPLACE_MESSAGE },
  obrolanSummary: { numberOfKeys: 3, lua: SUMMARY, readOnly: true },
  obrolanRaiseWatermark: { numberOfKeys: 1, lua: RAISE_WATERMARK },
  obrolanSetStatus: { numberOfKeys: 2, lua: SET_STATUS },
  obrolanSetField: { numberOfKeys: 1, lua: SET_FIELD },
  obrolanDeleteClosed: { numberOfKeys: 10, lua: DELETE_CLOSED },
  obrolanRaiseAgentRead: { numberOfKeys: 3, lua: RAISE_AGENT_READ },
  obrolanAgentRead: { numberOfKeys: 2, lua: AGENT_READ, readOnly: true },
}

export const defineStoreScripts = (client: Redis): StoreScripts => defineScripts<StoreScripts>(client, SCRIPTS)
