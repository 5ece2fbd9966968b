/**
 * Which part of a long conversation is in the DOM. A conversation can hold thousands of loaded
 * messages; rendering them all makes opening the panel slow and the page heavy. The list renders
 * from one message (the window's first) to the newest, and the window only ever grows upwards,
 * when the reader reaches the top, so nothing the reader is looking at is taken away.
 */
import type { ChatMessage } from '../index'

/** Messages a long conversation shows at first; reaching the top shows this many more. */
export const RENDER_WINDOW = 100

/**
 * The index the rendered part starts at: the message `firstKey` names while the list holds it
 * (`hint` is where it was last time, almost always still right), else the newest `size`.
 */
export function windowStart(messages: readonly ChatMessage[], firstKey: string | undefined, size: number, hint = 0): number {
  if (firstKey !== undefined) {
    if (messages[hint]?.clientId === firstKey) return hint
    const index = messages.findIndex((message) => message.clientId === firstKey)
    if (index >= 0) return index
  }
  return Math.max(0, messages.length - size)
}

/**
 * The message to start the window at from now on, or undefined to decide again next time. Only
 * a confirmed message holds its place: unsent ones sit at the end of the list and history
 * arriving later goes before them.
 */
export function windowAnchor(messages: readonly ChatMessage[], start: number): string | undefined {
  const first = messages[start]
  return first?.seq !== undefined ? first.clientId : undefined
}

/** Where the window starts after showing `size` more above `start`. */
export const widenedStart = (start: number, size: number): number => Math.max(0, start - size)
