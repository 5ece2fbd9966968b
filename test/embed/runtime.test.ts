// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createEmbedRuntime } from '../../src/embed/embed-runtime'

afterEach(() => {
  document.body.replaceChildren()
})

const host = () => document.querySelector('[data-obrolan-widget]')
const launcher = () => host()?.shadowRoot?.querySelector('button[aria-expanded]')

describe('script-tag runtime', () => {
  it('holds commands until boot, then runs them in order', async () => {
    const runtime = createEmbedRuntime(window)
    const opened = vi.fn()
    runtime.run(['on', 'open', opened])
    runtime.run(['open'])
    expect(host()).toBeNull()
    runtime.run(['boot', { server: 'http://127.0.0.1:9', title: 'Kedai' }])
    expect(host()).not.toBeNull()
    // Preact renders on the next tick.
    await vi.waitFor(() => expect(launcher()?.getAttribute('aria-expanded')).toBe('true'))
    expect(opened).toHaveBeenCalledTimes(1)
    runtime.run(['shutdown'])
    expect(host()).toBeNull()
  })

  it('reports a bad call on the console without throwing into the page', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const runtime = createEmbedRuntime(window)
    expect(() => runtime.run(['boot', {}])).not.toThrow()
    runtime.run(['boot', { server: 'http://127.0.0.1:9' }])
    runtime.run(['boot', { server: 'http://127.0.0.1:9' }])
    expect(errors.mock.calls.map((call) => String(call[0]))).toEqual([
      expect.stringMatching(/options.server/),
      expect.stringMatching(/already booted/),
    ])
    runtime.run(['shutdown'])
    errors.mockRestore()
  })
})
