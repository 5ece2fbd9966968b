/** Files in this process's memory, lost when it ends: for tests and the in-memory server. */
import { frozenCopy } from '../frozen-copy'
import type { FileStore, StoredFile } from './file-store'

export function createMemoryFileStore(): FileStore {
  const rooms = new Map<string, Map<string, { file: StoredFile; bytes: Uint8Array }>>()
  const find = (roomId: string, id: string) => rooms.get(roomId)?.get(id)
  return {
    async put(file, bytes) {
      const held = find(file.roomId, file.id)
      if (held) return { file: held.file, created: false }
      let room = rooms.get(file.roomId)
      if (!room) rooms.set(file.roomId, (room = new Map()))
      const stored = frozenCopy(file)
      room.set(file.id, { file: stored, bytes: bytes.slice() })
      return { file: stored, created: true }
    },
    async head(roomId, id) {
      return find(roomId, id)?.file
    },
    async open(roomId, id) {
      const held = find(roomId, id)
      return held && { file: held.file, body: [held.bytes] }
    },
    async delete(roomId, id) {
      rooms.get(roomId)?.delete(id)
    },
    async deleteRoom(roomId) {
      rooms.delete(roomId)
    },
  }
}
