/**
 * Who is in which room. A user counts as present while at least one of their sockets has joined
 * the room, so a second tab neither adds a user nor resets `joinedAt`, and closing one of two tabs
 * changes nothing anyone can see. The interface is async because with several server nodes the
 * answer lives in Redis (redis-presence.ts); a single node keeps it in memory (memory-presence.ts).
 */
import type { Author, Presence, PresenceUser } from '../protocol'

export interface PresenceStore {
  /** Returns true when the room's set of users changed (the user was not there before). */
  join(roomId: string, socketId: string, user: Author): Promise<boolean>
  /** Returns true when the room's set of users changed (that was the user's last socket). */
  leave(roomId: string, socketId: string): Promise<boolean>
  /** Removes a socket from every room; returns the rooms whose set of users changed. */
  leaveAll(socketId: string): Promise<string[]>
  presence(roomId: string): Promise<Presence>
  /** The presence of each room, in the order given, in one read. */
  presenceOfRooms(roomIds: readonly string[]): Promise<Presence[]>
  /** Every room someone is in now, on any node, in no particular order. */
  activeRooms(): Promise<string[]>
  /**
   * Starts whatever keeps presence honest in the background. `onRoomsChanged` hears of rooms whose
   * users changed without one of this server's sockets doing anything, e.g. when the sockets of a
   * crashed node are swept away, so the server can tell the room.
   */
  start(onRoomsChanged: (roomIds: string[]) => void): Promise<void>
  /** Stops the background work and removes this server's sockets from presence. */
  close(): Promise<void>
}

/** The wire shape from a room's users, counting customers (visitors) and agents. */
export function presenceOf(users: Iterable<PresenceUser>): Presence {
  const byId: Record<string, PresenceUser> = {}
  let totalVisitor = 0
  let totalAgent = 0
  for (const user of users) {
    byId[user.userId] = user
    if (user.role === 'visitor') totalVisitor += 1
    else totalAgent += 1
  }
  return { users: byId, visitorConnected: totalVisitor > 0, agentConnected: totalAgent > 0, totalVisitor, totalAgent }
}

export function presenceUser(user: Author, joinedAt: number): PresenceUser {
  return { userId: user.id, role: user.role, ...(user.name !== undefined && { name: user.name }), joinedAt }
}
