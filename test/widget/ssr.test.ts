// @vitest-environment node
// Importing the widget must not touch `window` or `document` (server rendering, Node tooling);
// only mountWidget does. Node is the honest environment for that: there is no DOM at all.
import { expect, test } from 'vitest'

test('importing the widget entry needs no DOM', async () => {
  expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined')
  expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined')
  const widget = await import('../../src/widget')
  expect(typeof widget.mountWidget).toBe('function')
})

test('mountWidget without a DOM fails with a clear error', async () => {
  const { mountWidget } = await import('../../src/widget')
  expect(() => mountWidget({ url: 'http://localhost:1' })).toThrow(/DOM/)
})
