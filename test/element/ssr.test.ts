// @vitest-environment node
// Importing `obrolan/element` during server rendering (no DOM at all) must not throw; it
// registers nothing there.
import { expect, test } from 'vitest'

test('importing the element entry needs no DOM', async () => {
  expect(typeof (globalThis as { HTMLElement?: unknown }).HTMLElement).toBe('undefined')
  const element = await import('../../src/element')
  expect(typeof element.ObrolanChatElement).toBe('function')
  expect(element.OBROLAN_CHAT_TAG).toBe('obrolan-chat')
})
