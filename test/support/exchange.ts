/**
 * What every exchange under fire must end with, shared by the fault test (connection cuts and a
 * restart) and the scale test (a killed node): both sides hold every message once, in server
 * order without holes, each sender's in send order, and the same timeline.
 */
import { expect } from 'vitest'
import type { ChatClient } from '../../src'

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls until `condition` holds; the error names what was awaited (and anything in `context`). */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

/** Every message the client wrote itself has reached the other side. */
export const ownDelivered = (side: ChatClient): boolean =>
  side.messages.get().every((m) => !m.own || m.status === 'delivered' || m.status === 'read')

export function expectExactlyOnceInOrder(visitor: ChatClient, agent: ChatClient, visitorTexts: string[], agentTexts: string[]): void {
  const total = visitorTexts.length + agentTexts.length
  for (const side of [visitor, agent]) {
    const list = side.messages.get()
    // Exactly once: as many messages as were sent, no id or clientId twice.
    expect(new Set(list.map((m) => m.id)).size).toBe(total)
    expect(new Set(list.map((m) => m.clientId)).size).toBe(total)
    // In server order without holes.
    expect(list.map((m) => m.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1))
    // Each sender's messages in the order they were sent.
    expect(list.filter((m) => m.author.role === 'visitor').map((m) => m.text)).toEqual(visitorTexts)
    expect(list.filter((m) => m.author.role === 'agent').map((m) => m.text)).toEqual(agentTexts)
  }
  // Both sides see the same timeline.
  expect(agent.messages.get().map((m) => m.id)).toEqual(visitor.messages.get().map((m) => m.id))
}
