/**
 * Tells agents about rooms (`conversation_updated`) after the requests that changed them have been
 * answered. An announcement waits until the I/O at hand has been handled (`defer`, setImmediate by
 * default), so no ack waits for the store reads it needs, and a burst of requests that arrived
 * together collapses into one announcement per room: an announcement still waiting reads the
 * latest state when it runs anyway. Announcements of one room keep their order.
 */
import type { Defer } from './after-io'
import type { BackgroundTasks } from './background-tasks'
import { createKeyedLock } from './room-lock'

export interface Announcements {
  /**
   * Announces the room soon. `alsoToRoom` (a closed conversation reopening, which the room must
   * hear about too) is never folded into another announcement.
   */
  soon(roomId: string, alsoToRoom?: boolean): void
}

export interface AnnouncementsOptions {
  /** Reads the room and sends the announcement. */
  announce: (roomId: string, alsoToRoom: boolean) => Promise<void>
  defer: Defer
  /** Holds each announcement until it is sent, so that closing the server waits for it. */
  background: BackgroundTasks
}

export function createAnnouncements({ announce, defer, background }: AnnouncementsOptions): Announcements {
  const order = createKeyedLock()
  /** Rooms with an announcement waiting that has not read the store yet. */
  const waiting = new Set<string>()
  return {
    soon(roomId, alsoToRoom = false) {
      if (!alsoToRoom) {
        if (waiting.has(roomId)) return
        waiting.add(roomId)
      }
      const deferred = new Promise<void>((resolve) => defer(resolve))
      background.add(
        deferred.then(() =>
          order.run(roomId, () => {
            if (!alsoToRoom) waiting.delete(roomId)
            return announce(roomId, alsoToRoom)
          }),
        ),
        `announcement of room ${roomId}`,
      )
    },
  }
}
