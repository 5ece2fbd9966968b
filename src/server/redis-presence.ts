/**
 * Presence shared by every server node through Redis (layout in redis-keys.ts): a hash of users
 * per room, as the field notes describe it, plus one entry per socket tagged with its node, so a
 * user with tabs on two nodes stays present until the last socket anywhere leaves.
 *
 * A node that crashes cannot say goodbye, so each node proves it is alive: it refreshes its
 * liveness key (TTL `nodeTtlMs`) every `heartbeatMs`, and on the same beat every node sweeps the
 * socket entries of nodes whose key has expired, reporting the rooms that changed so the server
 * can broadcast `connection_status_update`. With the defaults (5 s beat, 15 s TTL) a crashed
 * node's users disappear 15–20 s after the crash; three missed beats are needed to be declared dead.
 *
 * A node id is never revived: a node that finds its own key expired (a long pause, a lost Redis
 * connection) takes a new id, registers it and re-adds its live sockets under it, while its old
 * entries are swept like any dead node's. That keeps the sweep safe without locks: once a
 * node id's key is gone, nothing can add entries under that id again.
 */
import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { Author, Presence, PresenceUser, Role } from '../protocol'
import type { Logger } from './logger'
import { presenceOf, type PresenceStore } from './presence'
import { DEFAULT_KEY_PREFIX, redisKeys } from './redis-keys'
import { definePresenceScripts } from './redis-presence-scripts'
import { createKeyedLock } from './room-lock'

export interface RedisPresenceOptions {
  /** The connection to use; presence never closes it. */
  client: Redis
  /** Default `obrolan:`. */
  keyPrefix?: string
  now: () => number
  /** How often this node refreshes its liveness key and sweeps dead nodes. Default 5000. */
  heartbeatMs?: number
  /** How long a node counts as alive after its last beat. Must exceed `heartbeatMs`. Default 15000. */
  nodeTtlMs?: number
  /** Where failures of the background work (heartbeats, sweeps, renewals) are reported. */
  logger?: Logger
}

/** What the field notes store per user (`session:<roomId>:users`), with our millisecond times. */
interface StoredPresenceUser {
  user_id: string
  user_type: 'customer' | 'agent'
  name?: string
  joined_at: number
}

interface LocalSocket {
  user: Author
  rooms: Set<string>
}

/** Rooms swept per batch of concurrent scripts. */
const SWEEP_BATCH = 256

export function createRedisPresence(options: RedisPresenceOptions): PresenceStore {
  const { client, now } = options
  const keys = redisKeys(options.keyPrefix ?? DEFAULT_KEY_PREFIX)
  const scripts = definePresenceScripts(client)
  const heartbeatMs = options.heartbeatMs ?? 5_000
  const nodeTtlMs = options.nodeTtlMs ?? 15_000
  if (!(Number.isInteger(heartbeatMs) && heartbeatMs > 0)) throw new RangeError(`heartbeatMs must be a positive integer, got ${heartbeatMs}`)
  if (!(Number.isInteger(nodeTtlMs) && nodeTtlMs > heartbeatMs)) {
    throw new RangeError(`nodeTtlMs must be an integer above heartbeatMs (${heartbeatMs}), got ${nodeTtlMs}`)
  }

  const logger = options.logger
  /** Set while heartbeats fail, so that a long outage is reported once, not at every beat. */
  let beatFailing = false

  const base = randomUUID()
  let generation = 0
  const nodeId = (): string => `${base}.${generation}`
  const socketKey = (id: string, socketId: string): string => `${id}/${socketId}`

  /** This node's sockets and their rooms: the truth that Redis mirrors, kept for re-adding and leaveAll. */
  const sockets = new Map<string, LocalSocket>()
  /** Redis work for one socket runs in call order, whatever ioredis does with script retries. */
  const socketLock = createKeyedLock()
  const inFlight = new Set<Promise<unknown>>()
  /** Leaves that failed (Redis unreachable): retried on every beat so no ghost stays behind. */
  const failedLeaves = new Map<string, { roomId: string; socketId: string; node: string }>()
  let onRoomsChanged: (roomIds: string[]) => void = () => {}
  let timer: ReturnType<typeof setInterval> | undefined
  let beating = false
  let renewing: Promise<void> | undefined
  let closed = false

  function track<T>(promise: Promise<T>): Promise<T> {
    inFlight.add(promise)
    void promise.then(
      () => inFlight.delete(promise),
      () => inFlight.delete(promise),
    )
    return promise
  }

  function report(roomIds: Iterable<string>): void {
    const list = [...new Set(roomIds)]
    if (list.length > 0) onRoomsChanged(list)
  }

  async function register(): Promise<void> {
    await scripts.obrolanPresenceRegister(keys.nodeAlive(nodeId()), keys.nodes, nodeId(), nodeTtlMs)
  }

  /** Adds one socket in Redis under the current node id; -1 when that id has expired. */
  async function add(roomId: string, socketId: string, user: Author): Promise<number> {
    const id = nodeId()
    const stored: StoredPresenceUser = {
      user_id: user.id,
      user_type: user.role === 'visitor' ? 'customer' : 'agent',
      ...(user.name !== undefined && { name: user.name }),
      joined_at: now(),
    }
    return scripts.obrolanPresenceJoin(
      keys.nodeAlive(id),
      keys.sessionSockets(roomId),
      keys.sessionUsers(roomId),
      keys.nodeRooms(id),
      socketKey(id, socketId),
      user.id,
      JSON.stringify(stored),
      roomId,
    )
  }

  async function remove(roomId: string, socketId: string, node: string): Promise<boolean> {
    const changed = await scripts.obrolanPresenceLeave(
      keys.sessionSockets(roomId),
      keys.sessionUsers(roomId),
      keys.nodeRooms(node),
      socketKey(node, socketId),
      roomId,
      `${node}/`,
    )
    return changed === 1
  }

  /** Our id expired: take the next one and re-add every live socket under it. */
  function renew(expired: number): Promise<void> {
    if (generation !== expired) return renewing ?? Promise.resolve()
    generation += 1
    renewing = (async () => {
      await register()
      const changed: string[] = []
      const readds: Promise<void>[] = []
      for (const [socketId, local] of sockets) {
        for (const roomId of local.rooms) {
          readds.push(
            socketLock.run(socketId, async () => {
              // The socket may have left meanwhile; only what is still local goes back.
              if (!sockets.get(socketId)?.rooms.has(roomId)) return
              if ((await add(roomId, socketId, local.user)) === 1) changed.push(roomId)
            }),
          )
        }
      }
      await Promise.allSettled(readds)
      report(changed)
    })()
    return renewing
  }

  function join(roomId: string, socketId: string, user: Author): Promise<boolean> {
    // The local record changes now, at call time, so a leaveAll called next sees this room.
    let local = sockets.get(socketId)
    if (!local) sockets.set(socketId, (local = { user: { ...user }, rooms: new Set() }))
    local.rooms.add(roomId)
    const expectedGeneration = generation
    return track(
      socketLock.run(socketId, async () => {
        const result = await add(roomId, socketId, user)
        if (result !== -1) return result === 1
        // Our id expired under us. Renewing re-adds this socket (queued behind this task) and
        // reports the room if that changed it, so this call itself announces nothing.
        void renew(expectedGeneration).catch((error: unknown) => logger?.warn({ err: error, roomId, socketId }, 'renewing this node’s presence id failed; the next heartbeat retries'))
        return false
      }),
    )
  }

  function leave(roomId: string, socketId: string): Promise<boolean> {
    const local = sockets.get(socketId)
    if (!local?.rooms.delete(roomId)) return Promise.resolve(false)
    if (local.rooms.size === 0) sockets.delete(socketId)
    return track(
      socketLock.run(socketId, async () => {
        const node = nodeId()
        try {
          return await remove(roomId, socketId, node)
        } catch (error) {
          failedLeaves.set(`${roomId}\n${socketId}`, { roomId, socketId, node })
          throw error
        }
      }),
    )
  }

  async function leaveAll(socketId: string): Promise<string[]> {
    const roomIds = [...(sockets.get(socketId)?.rooms ?? [])]
    const changed = await Promise.all(roomIds.map((roomId) => leave(roomId, socketId)))
    return roomIds.filter((_, i) => changed[i])
  }

  async function presence(roomId: string): Promise<Presence> {
    return presenceFromHash(await client.hgetall(keys.sessionUsers(roomId)))
  }

  async function presenceOfRooms(roomIds: readonly string[]): Promise<Presence[]> {
    if (roomIds.length === 0) return []
    const pipeline = client.pipeline()
    for (const roomId of roomIds) pipeline.hgetall(keys.sessionUsers(roomId))
    const replies = (await pipeline.exec()) ?? []
    return replies.map(([error, hash]) => {
      if (error) throw error
      return presenceFromHash(hash as Record<string, string>)
    })
  }

  /** Removes a dead node's sockets from every room it had; returns the rooms whose users changed. */
  async function sweepNode(deadId: string): Promise<string[]> {
    const roomIds = await client.smembers(keys.nodeRooms(deadId))
    const changed: string[] = []
    for (let i = 0; i < roomIds.length; i += SWEEP_BATCH) {
      const batch = roomIds.slice(i, i + SWEEP_BATCH)
      const results = await Promise.all(
        batch.map((roomId) =>
          scripts.obrolanPresenceSweepRoom(
            keys.sessionSockets(roomId),
            keys.sessionUsers(roomId),
            keys.nodeRooms(deadId),
            roomId,
            `${deadId}/`,
          ),
        ),
      )
      batch.forEach((roomId, j) => results[j] === 1 && changed.push(roomId))
    }
    await scripts.obrolanPresenceForgetNode(keys.nodeAlive(deadId), keys.nodeRooms(deadId), keys.nodes, deadId)
    return changed
  }

  async function sweepDeadNodes(): Promise<void> {
    const others = (await client.smembers(keys.nodes)).filter((id) => id !== nodeId())
    if (others.length === 0) return
    const alive = await Promise.all(others.map((id) => client.exists(keys.nodeAlive(id))))
    const changed: string[] = []
    for (const [i, id] of others.entries()) {
      // Several nodes may sweep the same dead node at once; each room's script runs once per
      // socket entry, so only one of them sees a change and announces it.
      if (alive[i] === 0) changed.push(...(await sweepNode(id)))
    }
    report(changed)
  }

  async function retryFailedLeaves(): Promise<void> {
    const changed: string[] = []
    for (const [key, { roomId, socketId, node }] of failedLeaves) {
      if (await remove(roomId, socketId, node)) changed.push(roomId)
      failedLeaves.delete(key)
    }
    report(changed)
  }

  async function beat(): Promise<void> {
    if (beating || closed) return
    beating = true
    try {
      const current = generation
      const refreshed = await client.pexpire(keys.nodeAlive(nodeId()), nodeTtlMs)
      if (refreshed === 0) await renew(current)
      await retryFailedLeaves()
      await sweepDeadNodes()
      if (beatFailing) logger?.info({ node: nodeId() }, 'presence heartbeat works again')
      beatFailing = false
    } catch (error) {
      // Redis is unreachable or slow; the next beat tries again. If we stay away longer than the
      // TTL, the others sweep our sockets and we come back under a new id.
      if (!beatFailing) logger?.warn({ err: error, node: nodeId() }, 'presence heartbeat failed; retrying at every beat')
      beatFailing = true
    } finally {
      beating = false
    }
  }

  /** The rooms of every node that may own entries (a dead one's until it is swept), still occupied. */
  async function activeRooms(): Promise<string[]> {
    const nodes = await client.smembers(keys.nodes)
    const candidates = nodes.length === 0 ? [] : [...new Set(await client.sunion(...nodes.map((id) => keys.nodeRooms(id))))]
    const presences = await presenceOfRooms(candidates)
    return candidates.filter((_, i) => presences[i]!.totalVisitor + presences[i]!.totalAgent > 0)
  }

  return {
    join,
    leave,
    leaveAll,
    presence,
    presenceOfRooms,
    activeRooms,
    async start(listener) {
      onRoomsChanged = listener
      await register()
      // Nodes that died while nobody was sweeping (the whole cluster was down) go now.
      await sweepDeadNodes()
      timer = setInterval(() => void beat(), heartbeatMs)
      timer.unref()
    },
    async close() {
      if (closed) return
      closed = true
      if (timer) clearInterval(timer)
      await Promise.allSettled([...inFlight])
      const own = nodeId()
      sockets.clear()
      try {
        // Our key goes first, so that nothing more can be added under our id, then our entries.
        await client.del(keys.nodeAlive(own))
        report(await sweepNode(own))
      } catch (error) {
        // Unreachable Redis: the other nodes sweep us once our key expires.
        logger?.warn({ err: error, node: own }, 'could not remove this node’s presence on close; the other nodes sweep it after its TTL')
      }
    },
  }
}

function presenceFromHash(stored: Record<string, string>): Presence {
  const users: PresenceUser[] = []
  for (const json of Object.values(stored)) {
    const user = parseStoredUser(json)
    if (user) users.push(user)
  }
  return presenceOf(users)
}

function parseStoredUser(json: string): PresenceUser | undefined {
  try {
    const stored = JSON.parse(json) as Partial<StoredPresenceUser>
    if (typeof stored.user_id !== 'string' || typeof stored.joined_at !== 'number') return undefined
    const role: Role = stored.user_type === 'agent' ? 'agent' : 'visitor'
    return {
      userId: stored.user_id,
      role,
      ...(typeof stored.name === 'string' && { name: stored.name }),
      joinedAt: stored.joined_at,
    }
  } catch {
    // Someone else's value under our key: not a user we can show.
    return undefined
  }
}
