/**
 * What a crash test checks after the exchange, on the clients and in the database itself: every
 * message once, in order; what was acknowledged before the kill kept with the seq it was given;
 * the conversation's status and watermarks as they were set.
 */
import { expect } from 'vitest'
import type { ChatClient } from '../../src'
import type { ConversationStatus } from '../../src/protocol'
import type { Store } from '../../src/server'

/** The client's own messages the server had acknowledged, as clientId → seq. */
export function acknowledged(client: ChatClient): Map<string, number> {
  const acked = new Map<string, number>()
  for (const m of client.messages.get()) if (m.own && m.seq !== undefined) acked.set(m.clientId, m.seq)
  return acked
}

export async function expectStored(
  store: Store,
  roomId: string,
  expected: { total: number; visitorTexts: string[]; agentTexts: string[]; ackedBeforeKill: Map<string, number>; status: ConversationStatus; agentReadAtLeast: number },
): Promise<void> {
  const conversation = await store.getConversation(roomId)
  expect(conversation).toMatchObject({ lastSeq: expected.total, status: expected.status })
  const { messages } = await store.getMessages(roomId, { afterSeq: 0, limit: expected.total + 10 })
  expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: expected.total }, (_, i) => i + 1))
  expect(new Set(messages.map((m) => m.clientId)).size).toBe(expected.total)
  expect(messages.filter((m) => m.author.role === 'visitor').map((m) => m.text)).toEqual(expected.visitorTexts)
  expect(messages.filter((m) => m.author.role === 'agent').map((m) => m.text)).toEqual(expected.agentTexts)
  const seqByClientId = new Map(messages.map((m) => [m.clientId, m.seq]))
  for (const [clientId, seq] of expected.ackedBeforeKill) expect(seqByClientId.get(clientId), `acknowledged ${clientId}`).toBe(seq)
  // Each side has received everything the other wrote; the agent's read mark survived the crash.
  const lastOf = (role: 'visitor' | 'agent') => Math.max(...messages.filter((m) => m.author.role === role).map((m) => m.seq))
  const watermarks = conversation!.watermarks
  expect(watermarks.visitor.delivered).toBeGreaterThanOrEqual(lastOf('agent'))
  expect(watermarks.agent.delivered).toBeGreaterThanOrEqual(lastOf('visitor'))
  expect(watermarks.agent.read).toBeGreaterThanOrEqual(expected.agentReadAtLeast)
}
