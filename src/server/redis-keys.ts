/**
 * Every key Obrolan keeps in Redis, in one place, so the layout can be read (and inspected with
 * `redis-cli`) without reading the scripts. `P` is the key prefix, `obrolan:` by default; several
 * deployments (or test runs) can share one Redis under different prefixes.
 *
 * Durable, no TTL: conversations and messages. Every key that embeds an id ends in a fixed
 * suffix, so no id (an agent may send any string as a roomId) can name another room's key.
 *
 *   P room:<roomId>:conversation      hash    the conversation: roomId, visitor (JSON), status,
 *                                             lastSeq (the room's seq counter, HINCRBY),
 *                                             lastChangeSeq (its change counter, HINCRBY),
 *                                             lastMessage (JSON), delivered:<role>, read:<role>,
 *                                             assignee (JSON), context (JSON), contact (JSON),
 *                                             followedUpSeq, createdAt, updatedAt
 *   P room:<roomId>:messages          hash    seq → message JSON, with its attachment and reactions
 *                                             (seqs are dense: a page is HMGET)
 *   P room:<roomId>:client-ids        hash    clientId → seq, the idempotency index
 *   P room:<roomId>:ids               hash    message id → seq
 *   P room:<roomId>:authored:<role>   zset    seqs that role authored, score = seq, for ZCOUNT
 *   P room:<roomId>:changes           zset    seq of each edited, deleted or reacted-to message, score = its
 *                                             latest changeSeq, for get_changes
 *   P room:<roomId>:agent-reads       hash    agentId → that agent's own read mark (a seq)
 *   P visitor:<visitorId>             string  the visitor's roomId (one conversation per visitor)
 *   P conversations                   zset    roomId, score = updatedAt
 *
 * Ephemeral: presence and node liveness. They need no TTL of their own because they are swept:
 * a node that stops refreshing its liveness key has its entries removed by the survivors.
 *
 *   P session:<roomId>:users          hash    userId → JSON { user_id, user_type, name?, joined_at }
 *                                             (the field notes' layout; user_type is 'customer' or
 *                                             'agent', joined_at ms since the epoch)
 *   P session:<roomId>:sockets        hash    <nodeId>/<socketId> → userId; a user stays in :users
 *                                             while any of their sockets, on any node, is here
 *   P node:<nodeId>:rooms             set     rooms where that node has sockets, for its sweep
 *   P node:<nodeId>:alive             string  PX TTL, refreshed by the node's heartbeat
 *   P nodes                           set     node ids that may own presence entries
 *
 * The Socket.IO adapter publishes on channels named `P socket.io#…` (pub/sub, no keys).
 *
 * Scripts touch keys of several rooms' and nodes' families at once, so this layout is for a single
 * Redis (with replicas or Sentinel if you like), not for Redis Cluster.
 */
import type { Role } from '../protocol'

export const DEFAULT_KEY_PREFIX = 'obrolan:'

export interface RedisKeys {
  prefix: string
  conversation(roomId: string): string
  messages(roomId: string): string
  clientIds(roomId: string): string
  messageIds(roomId: string): string
  authored(roomId: string, role: Role): string
  changes(roomId: string): string
  agentReads(roomId: string): string
  visitor(visitorId: string): string
  conversations: string
  sessionUsers(roomId: string): string
  sessionSockets(roomId: string): string
  nodeRooms(nodeId: string): string
  nodeAlive(nodeId: string): string
  nodes: string
  /** The adapter's channel prefix. */
  adapterChannel: string
}

export function redisKeys(prefix: string = DEFAULT_KEY_PREFIX): RedisKeys {
  return {
    prefix,
    conversation: (roomId) => `${prefix}room:${roomId}:conversation`,
    messages: (roomId) => `${prefix}room:${roomId}:messages`,
    clientIds: (roomId) => `${prefix}room:${roomId}:client-ids`,
    messageIds: (roomId) => `${prefix}room:${roomId}:ids`,
    authored: (roomId, role) => `${prefix}room:${roomId}:authored:${role}`,
    changes: (roomId) => `${prefix}room:${roomId}:changes`,
    agentReads: (roomId) => `${prefix}room:${roomId}:agent-reads`,
    visitor: (visitorId) => `${prefix}visitor:${visitorId}`,
    conversations: `${prefix}conversations`,
    sessionUsers: (roomId) => `${prefix}session:${roomId}:users`,
    sessionSockets: (roomId) => `${prefix}session:${roomId}:sockets`,
    nodeRooms: (nodeId) => `${prefix}node:${nodeId}:rooms`,
    nodeAlive: (nodeId) => `${prefix}node:${nodeId}:alive`,
    nodes: `${prefix}nodes`,
    adapterChannel: `${prefix}socket.io`,
  }
}
