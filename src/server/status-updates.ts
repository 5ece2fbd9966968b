/**
 * Tells rooms how far each side has received and read (`message_status_update`) once the requests
 * at hand are answered. A client reports every message it receives, so under load a room raises
 * its watermarks many times per read from the socket; watermarks only move forward and every
 * update carries all of them, so one update with the highest marks says what all of them would.
 */
import type { Watermarks } from '../protocol'
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
      waiting.set(roomId, queued ? highestWatermarks(queued, watermarks) : watermarks)
      if (queued) return
      background.add(
        new Promise<void>((resolve) =>
          defer(() => {
            const latest = waiting.get(roomId)
            waiting.delete(roomId)
            try {
              if (latest) send(roomId, latest)
            } catch {
              // Thrown from a timer it would crash the process; the requests have been answered.
            }
            resolve()
          }),
        ),
      )
    },
  }
}

/**
 * Each mark at the higher of the two. Two reads of one room's marks can come back in either order
 * (a networked store, another node), so the later one is not always the higher.
 */
export function highestWatermarks(a: Watermarks, b: Watermarks): Watermarks {
  return {
    visitor: { delivered: Math.max(a.visitor.delivered, b.visitor.delivered), read: Math.max(a.visitor.read, b.visitor.read) },
    agent: { delivered: Math.max(a.agent.delivered, b.agent.delivered), read: Math.max(a.agent.read, b.agent.read) },
  }
}
