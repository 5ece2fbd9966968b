/**
 * Per-connection rate limits as token buckets, one per kind of request. A refusal blocks that
 * kind for a short cooldown, so every request that was already on its way behind the refused one
 * is refused too: a client that resends in order after the cooldown keeps its messages in order.
 */
import type { ClientToServerEvents } from '../protocol'

export interface RateLimit {
  /** Sustained requests per second. */
  perSecond: number
  /** Requests allowed at once after a quiet spell. */
  burst: number
}

export type RateLimitKind = 'message' | 'typing' | 'room' | 'receipt'

/**
 * Per-connection limits by request kind, `newVisitor`: new visitor identities per client IP,
 * `apiKey`: REST API requests per key, and `upload`: files per user (over HTTP, so across connections).
 */
export type RateLimits = Record<RateLimitKind | 'newVisitor' | 'apiKey' | 'upload', RateLimit>

export const DEFAULT_RATE_LIMITS: RateLimits = {
  message: { perSecond: 5, burst: 30 },
  typing: { perSecond: 3, burst: 10 },
  // Catch-up after a long disconnect pages history several times in a row.
  room: { perSecond: 10, burst: 40 },
  receipt: { perSecond: 20, burst: 60 },
  // A shop behind one NAT (an office, a mobile carrier) has many real visitors on one address;
  // a script opening anonymous sessions by the thousand is stopped after the burst.
  newVisitor: { perSecond: 1, burst: 60 },
  // A sync job pages through every conversation now and then; a loop gone wrong is stopped.
  apiKey: { perSecond: 10, burst: 100 },
  // A visitor dropping a handful of photos at once goes through; a script filling the disk does not.
  upload: { perSecond: 0.2, burst: 20 },
}

/** Least time a refused kind stays refused. */
export const RATE_LIMIT_COOLDOWN_MS = 1000

export const RATE_LIMIT_KIND: Record<keyof ClientToServerEvents, RateLimitKind> = {
  send_message: 'message',
  edit_message: 'message',
  delete_message: 'message',
  react_message: 'message',
  typing_indicator: 'typing',
  join_room: 'room',
  leave_room: 'room',
  get_history: 'room',
  get_changes: 'room',
  assign_conversation: 'room',
  update_context: 'room',
  update_contact: 'room',
  list_conversations: 'room',
  set_conversation_status: 'room',
  search_messages: 'room',
  mark_delivered: 'receipt',
  mark_read: 'receipt',
}

export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number }

interface Bucket {
  tokens: number
  updatedAt: number
  blockedUntil: number
}

export interface RateLimiter<Key = RateLimitKind> {
  take(key: Key): RateDecision
}

/** Refills the bucket for the time passed and takes a token from it if it can. */
function takeToken(bucket: Bucket, limit: RateLimit, time: number): RateDecision {
  bucket.tokens = Math.min(limit.burst, bucket.tokens + ((time - bucket.updatedAt) / 1000) * limit.perSecond)
  bucket.updatedAt = time
  if (time < bucket.blockedUntil) return { ok: false, retryAfterMs: bucket.blockedUntil - time }
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1
    return { ok: true }
  }
  const untilToken = Math.ceil(((1 - bucket.tokens) / limit.perSecond) * 1000)
  const retryAfterMs = Math.max(RATE_LIMIT_COOLDOWN_MS, untilToken)
  bucket.blockedUntil = time + retryAfterMs
  return { ok: false, retryAfterMs }
}

/** One bucket per request kind, for one connection. */
export function createRateLimiter(limits: RateLimits, now: () => number): RateLimiter {
  const buckets = new Map<RateLimitKind, Bucket>()
  return {
    take(kind) {
      const time = now()
      let bucket = buckets.get(kind)
      if (!bucket) buckets.set(kind, (bucket = { tokens: limits[kind].burst, updatedAt: time, blockedUntil: 0 }))
      return takeToken(bucket, limits[kind], time)
    },
  }
}

/** Buckets kept before the full ones are dropped (a full bucket is the same as none). */
const MAX_IDLE_BUCKETS = 10_000

/** One bucket per key (a client address, an account) under one limit, for limits across connections. */
export function createKeyedRateLimiter(limit: RateLimit, now: () => number): RateLimiter<string> {
  const buckets = new Map<string, Bucket>()
  const prune = (time: number): void => {
    for (const [key, bucket] of buckets) {
      const refilled = bucket.tokens + ((time - bucket.updatedAt) / 1000) * limit.perSecond
      if (refilled >= limit.burst && time >= bucket.blockedUntil) buckets.delete(key)
    }
    // Still full of busy keys (addresses by the thousand): forget the oldest half rather than grow
    // without bound; those keys start afresh, which costs an attacker more than it gains.
    if (buckets.size >= MAX_IDLE_BUCKETS) {
      let drop = buckets.size / 2
      for (const key of buckets.keys()) {
        if (drop-- <= 0) break
        buckets.delete(key)
      }
    }
  }
  return {
    take(key) {
      const time = now()
      let bucket = buckets.get(key)
      if (!bucket) {
        if (buckets.size >= MAX_IDLE_BUCKETS) prune(time)
        buckets.set(key, (bucket = { tokens: limit.burst, updatedAt: time, blockedUntil: 0 }))
      }
      return takeToken(bucket, limit, time)
    },
  }
}

export function checkRateLimits(limits: Partial<RateLimits> | undefined): RateLimits {
  const merged = { ...DEFAULT_RATE_LIMITS, ...limits }
  for (const [kind, limit] of Object.entries(merged)) {
    if (!(limit.perSecond > 0) || !(limit.burst >= 1)) {
      throw new RangeError(`rateLimits.${kind} needs perSecond > 0 and burst >= 1`)
    }
  }
  return merged
}
