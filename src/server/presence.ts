/**
 * Who is in which room, for this process only. A user counts as present while at least one of
 * their sockets has joined the room, so a second tab neither adds a user nor resets `joinedAt`,
 * and closing one of two tabs changes nothing anyone can see.
 */
import type { Author, Presence, PresenceUser } from '../protocol'

interface Member {
  user: Author
  sockets: Set<string>
  joinedAt: number
}

export interface PresenceTracker {
  /** Returns true when the room's set of users changed (the user was not there before). */
  join(roomId: string, socketId: string, user: Author): boolean
  /** Returns true when the room's set of users changed (that was the user's last socket). */
  leave(roomId: string, socketId: string): boolean
  /** Removes a socket from every room; returns the rooms whose set of users changed. */
  leaveAll(socketId: string): string[]
  presence(roomId: string): Presence
}

export function createPresenceTracker(now: () => number): PresenceTracker {
  const rooms = new Map<string, Map<string, Member>>()
  /** socketId → roomId → userId, so a socket can be removed without knowing its user. */
  const socketRooms = new Map<string, Map<string, string>>()

  function join(roomId: string, socketId: string, user: Author): boolean {
    let members = rooms.get(roomId)
    if (!members) rooms.set(roomId, (members = new Map()))
    let joined = socketRooms.get(socketId)
    if (!joined) socketRooms.set(socketId, (joined = new Map()))
    joined.set(roomId, user.id)

    const member = members.get(user.id)
    if (member) {
      member.sockets.add(socketId)
      return false
    }
    members.set(user.id, { user: { ...user }, sockets: new Set([socketId]), joinedAt: now() })
    return true
  }

  function leave(roomId: string, socketId: string): boolean {
    const joined = socketRooms.get(socketId)
    const userId = joined?.get(roomId)
    if (!joined || userId === undefined) return false
    joined.delete(roomId)
    if (joined.size === 0) socketRooms.delete(socketId)

    const members = rooms.get(roomId)
    const member = members?.get(userId)
    if (!members || !member) return false
    member.sockets.delete(socketId)
    if (member.sockets.size > 0) return false
    members.delete(userId)
    if (members.size === 0) rooms.delete(roomId)
    return true
  }

  function leaveAll(socketId: string): string[] {
    const roomIds = [...(socketRooms.get(socketId)?.keys() ?? [])]
    return roomIds.filter((roomId) => leave(roomId, socketId))
  }

  function presence(roomId: string): Presence {
    const users: Record<string, PresenceUser> = {}
    let totalCustomer = 0
    let totalAgent = 0
    for (const [userId, { user, joinedAt }] of rooms.get(roomId) ?? []) {
      users[userId] = { userId, role: user.role, ...(user.name !== undefined && { name: user.name }), joinedAt }
      if (user.role === 'visitor') totalCustomer += 1
      else totalAgent += 1
    }
    return { users, customerConnected: totalCustomer > 0, agentConnected: totalAgent > 0, totalCustomer, totalAgent }
  }

  return { join, leave, leaveAll, presence }
}
