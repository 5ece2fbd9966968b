/**
 * Presence for a single server process, in maps. Each method does all its work before its first
 * (and only) await, so a join and a leave started in that order are applied in that order; the
 * handlers rely on that to never leave a disconnected socket behind.
 */
import type { Author, Presence } from '../protocol'
import { presenceOf, presenceUser, type PresenceStore } from './presence'

interface Member {
  user: Author
  sockets: Set<string>
  joinedAt: number
}

export function createMemoryPresence(now: () => number): PresenceStore {
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
    const members = rooms.get(roomId)?.values() ?? []
    return presenceOf([...members].map(({ user, joinedAt }) => presenceUser(user, joinedAt)))
  }

  return {
    join: async (roomId, socketId, user) => join(roomId, socketId, user),
    leave: async (roomId, socketId) => leave(roomId, socketId),
    leaveAll: async (socketId) => leaveAll(socketId),
    presence: async (roomId) => presence(roomId),
    presenceOfRooms: async (roomIds) => roomIds.map(presence),
    activeRooms: async () => [...rooms.keys()],
    // Nothing runs in the background: a process's own sockets are all it knows about.
    start: async () => {},
    close: async () => {},
  }
}
