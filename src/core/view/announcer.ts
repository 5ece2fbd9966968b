/**
 * Tells listeners about messages as they appear in the list: others' messages that arrived
 * live (once per task, after the list's subscribers heard of them) and the user's messages the
 * server refused.
 */
import type { Emitter } from 'nanoevents'
import type { ReadableAtom } from 'nanostores'
import type { ChatClientEvents } from '../client-types'
import type { ChatMessage } from './message-view'

export class Announcer {
  /** Others' messages that arrived in this task, to announce once the list shows them. */
  private arrivals: string[] = []

  constructor(
    private readonly messages: ReadableAtom<ChatMessage[]>,
    private readonly events: Emitter<ChatClientEvents>,
  ) {}

  /** Looks up a message on screen from the newest, where the one wanted almost always is. */
  find(matches: (message: ChatMessage) => boolean): ChatMessage | undefined {
    const shown = this.messages.get()
    for (let i = shown.length - 1; i >= 0; i--) if (matches(shown[i]!)) return shown[i]
    return undefined
  }

  arrived(messageId: string): void {
    if (this.arrivals.push(messageId) === 1) queueMicrotask(() => this.announceArrivals())
  }

  failed(clientId: string): void {
    const view = this.find((m) => m.clientId === clientId)
    if (view) this.events.emit('failed', view)
  }

  private announceArrivals(): void {
    const ids = this.arrivals
    this.arrivals = []
    for (const id of ids) {
      const view = this.find((m) => m.id === id)
      if (view) this.events.emit('message', view)
    }
  }
}
