/**
 * Tells rooms how far each side has received and read (`message_status_update`) once the requests
 * at hand are answered. A client reports every message it receives, so under load a room raises
 * its watermarks many times per read from the socket; watermarks only move forward and every
 * update carries all of them, so one update with the highest marks says what all of them would.
 */
import { mergeWatermarks, type Watermarks } from '../protocol'
import type { Defer } from './after-io'
import type { BackgroundTasks } from './background-tasks'

export interface StatusUpdates {
  /** Sends the room its watermarks soon, together with any other raise until then. */
  soon(roomId: string, watermarks: Watermarks): void
}

export interface StatusUpdatesOptions {
  send: (roomId: string, watermarks: Watermarks) => void
  defer: Defer
  /** Holds each update until it is sent, so that closing the server waits for it. */
  background: BackgroundTasks
}

export function createStatusUpdates({ send, defer, background }: StatusUpdatesOptions): StatusUpdates {
  const waiting = new Map<string, Watermarks>()
  return {
    soon(roomId, watermarks) {
      const queued = waiting.get(roomId)
      waiting.set(roomId, queued ? mergeWatermarks(queued, watermarks) : watermarks)
      if (queued) return
      background.add(
        // A throw inside the deferred callback rejects this promise (reported by the background
        // tasks) instead of crashing the process from a timer.
        new Promise<void>((resolve, reject) =>
          defer(() => {
            const latest = waiting.get(roomId)
            waiting.delete(roomId)
            try {
              if (latest) send(roomId, latest)
              resolve()
            } catch (error) {
              reject(error)
            }
          }),
        ),
        `status update of room ${roomId}`,
      )
    },
  }
}
