// @vitest-environment happy-dom
/**
 * The script-tag loader's decisions: when it fetches the chat, what it replays, and how it fails.
 * The chat file is faked (a runtime that records its calls) except in the handover tests, which
 * use the real runtime and widget.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ChatBundle } from '../../src/embed/chat-bundle'
import { createEmbedRuntime } from '../../src/embed/embed-runtime'
import { createLoader } from '../../src/embed/loader'
import { LOADER_ATTRIBUTE, WIDGET_HOST_ATTRIBUTE } from '../../src/embed/loader-launcher'
import { HOST_ATTRIBUTE } from '../../src/widget/mount-widget'

const SERVER = 'http://127.0.0.1:9'

let errors: ReturnType<typeof spyOnErrors>
const spyOnErrors = () => vi.spyOn(console, 'error').mockImplementation(() => {})
beforeEach(() => {
  errors = spyOnErrors()
  localStorage.clear()
})
afterEach(() => {
  errors.mockRestore()
  document.body.replaceChildren()
  localStorage.clear()
})

interface PendingLoad {
  resolve(bundle: ChatBundle): void
  reject(error: Error): void
}

/** A loader whose chat loads and idle callbacks are in the test's hands. */
function setup() {
  const loads: PendingLoad[] = []
  const idle: (() => void)[] = []
  const loader = createLoader({
    window,
    loadChat: () => new Promise<ChatBundle>((resolve, reject) => loads.push({ resolve, reject })),
    whenIdle: (task) => idle.push(task),
  })
  const run = (...args: unknown[]) => loader.run(args)
  const runIdle = () => idle.splice(0).forEach((task) => task())
  return { run, loads, idle, runIdle }
}

/** A chat file whose runtime records every call it gets. */
function recordingBundle() {
  const calls: unknown[][] = []
  const bundle: ChatBundle = { createEmbedRuntime: () => ({ run: (args) => void calls.push(Array.from(args)) }) }
  return { bundle, calls }
}

const loaderHost = () => document.querySelector(`[${LOADER_ATTRIBUTE}]`)
const loaderButton = () => loaderHost()?.shadowRoot?.querySelector('button') ?? null
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('script-tag loader: when it fetches the chat', () => {
  it('draws the launcher for a first-time visitor and fetches nothing', () => {
    const { run, loads, idle } = setup()
    run('boot', { server: SERVER, title: 'Kedai', locale: 'id' })
    const button = loaderButton()
    expect(button?.getAttribute('aria-expanded')).toBe('false')
    expect(button?.textContent).toBe('Buka obrolan')
    expect(loaderHost()?.shadowRoot?.querySelector('aside')?.getAttribute('aria-label')).toBe('Kedai')
    expect(loads).toHaveLength(0)
    expect(idle).toHaveLength(0)
  })

  it('does nothing before DOMContentLoaded beyond taking the calls', () => {
    Object.defineProperty(document, 'readyState', { value: 'loading', configurable: true })
    try {
      const { run, loads } = setup()
      run('boot', { server: SERVER })
      run('open')
      expect(loaderHost()).toBeNull()
      expect(loads).toHaveLength(0)
      document.dispatchEvent(new Event('DOMContentLoaded'))
      expect(loaderHost()).not.toBeNull()
      expect(loads).toHaveLength(1)
    } finally {
      delete (document as unknown as Record<string, unknown>).readyState
    }
    expect(document.readyState).not.toBe('loading')
  })

  it('fetches at once on a launcher click, open, toggle, or boot with open: true', () => {
    for (const ask of [
      () => loaderButton()!.click(),
      (s: ReturnType<typeof setup>) => s.run('open'),
      (s: ReturnType<typeof setup>) => s.run('toggle'),
    ]) {
      const s = setup()
      s.run('boot', { server: SERVER })
      expect(s.loads).toHaveLength(0)
      ask(s)
      expect(s.loads).toHaveLength(1)
      s.run('shutdown')
    }
    const s = setup()
    s.run('boot', { server: SERVER, open: true })
    expect(s.loads).toHaveLength(1)
  })

  it('fetches early when the pointer or focus reaches the launcher, once', () => {
    const s = setup()
    s.run('boot', { server: SERVER })
    loaderButton()!.dispatchEvent(new Event('pointerenter'))
    loaderButton()!.focus()
    loaderButton()!.click()
    expect(s.loads).toHaveLength(1)
  })

  it('opens at handover when the chat arrives while the launcher is pressed (the click would be lost with it)', async () => {
    const s = setup()
    s.run('boot', { server: SERVER })
    loaderButton()!.dispatchEvent(new Event('pointerenter'))
    loaderButton()!.dispatchEvent(new Event('pointerdown'))
    const { bundle, calls } = recordingBundle()
    s.loads[0]!.resolve(bundle)
    await settle()
    expect(calls).toEqual([['boot', { server: SERVER }], ['open']])
  })

  it('does not open at handover after a press that ended without a click', async () => {
    const s = setup()
    s.run('boot', { server: SERVER })
    loaderButton()!.dispatchEvent(new Event('pointerenter'))
    loaderButton()!.dispatchEvent(new Event('pointerdown'))
    loaderButton()!.dispatchEvent(new Event('pointerleave'))
    const { bundle, calls } = recordingBundle()
    s.loads[0]!.resolve(bundle)
    await settle()
    expect(calls).toEqual([['boot', { server: SERVER }]])
  })

  it('waits for boot before fetching for an early open', () => {
    const s = setup()
    s.run('open')
    expect(s.loads).toHaveLength(0)
    expect(loaderHost()).toBeNull()
    s.run('boot', { server: SERVER })
    expect(s.loads).toHaveLength(1)
  })

  it('fetches at idle for a returning visitor: stored identity or unsent messages', () => {
    localStorage.setItem('obrolan:visitor:identity', JSON.stringify({ visitorId: 'v1', token: 't' }))
    const s = setup()
    s.run('boot', { server: SERVER })
    expect(s.loads).toHaveLength(0)
    expect(s.idle).toHaveLength(1)
    s.runIdle()
    expect(s.loads).toHaveLength(1)
    s.run('shutdown')

    localStorage.clear()
    localStorage.setItem('obrolan:visitor:outbox', JSON.stringify([{ clientId: 'c1', text: 'hi' }]))
    const t = setup()
    t.run('boot', { server: SERVER })
    t.runIdle()
    expect(t.loads).toHaveLength(1)
  })

  it('ignores storage that holds nothing useful: an empty outbox, a broken identity, bad JSON, an agent', () => {
    localStorage.setItem('obrolan:visitor:outbox', '[]')
    localStorage.setItem('obrolan:visitor:identity', '{"visitorId":"v1"}')
    localStorage.setItem('obrolan:agent:identity', JSON.stringify({ visitorId: 'v1', token: 't' }))
    const s = setup()
    s.run('boot', { server: SERVER })
    expect(s.idle).toHaveLength(0)
    s.run('shutdown')
    localStorage.setItem('obrolan:visitor:outbox', '[not json')
    const t = setup()
    t.run('boot', { server: SERVER })
    expect(t.idle).toHaveLength(0)
  })

  it('treats storage that throws as empty, without throwing into the page', () => {
    const denied = () => {
      throw new DOMException('Access is denied for this document.', 'SecurityError')
    }
    // `localStorage` itself throws (sandboxed frames), or reading it does (some privacy modes).
    for (const broken of [denied, () => ({ getItem: denied }) as unknown as Storage]) {
      const getter = vi.spyOn(window, 'localStorage', 'get').mockImplementation(broken)
      try {
        const s = setup()
        expect(() => s.run('boot', { server: SERVER })).not.toThrow()
        expect(getter).toHaveBeenCalled()
        expect(s.idle).toHaveLength(0)
        expect(loaderButton()).not.toBeNull()
        s.run('shutdown')
      } finally {
        getter.mockRestore()
      }
    }
    expect(errors).not.toHaveBeenCalled()
  })

  it('fetches at idle after identify, not while shut down, and again after the next boot', () => {
    const s = setup()
    s.run('boot', { server: SERVER })
    s.run('identify', { userId: 'u1', userHash: 'a'.repeat(64) })
    expect(s.loads).toHaveLength(0)
    s.runIdle()
    expect(s.loads).toHaveLength(1)

    const t = setup()
    t.run('boot', { server: SERVER })
    t.run('identify', { userId: 'u1', userHash: 'a'.repeat(64) })
    t.run('shutdown')
    t.runIdle()
    expect(t.loads).toHaveLength(0)
    // The identity stands (as in the chat runtime), so booting again fetches at idle.
    t.run('boot', { server: SERVER })
    t.runIdle()
    expect(t.loads).toHaveLength(1)
  })
})

describe('script-tag loader: handover', () => {
  it('replays every valid call in order, the click as an open, then passes calls straight on', async () => {
    const s = setup()
    const listener = () => {}
    s.run('on', 'message', listener)
    s.run('boot', { server: SERVER, title: 'Kedai' })
    s.run('opne')
    loaderButton()!.click()
    s.run('identify', { userId: 'u1', userHash: 'h' })
    s.run('close')
    const { bundle, calls } = recordingBundle()
    s.loads[0]!.resolve(bundle)
    await settle()
    expect(calls).toEqual([
      ['on', 'message', listener],
      ['boot', { server: SERVER, title: 'Kedai' }],
      ['open'],
      ['identify', { userId: 'u1', userHash: 'h' }],
      ['close'],
    ])
    expect(loaderHost()).toBeNull()
    s.run('toggle')
    s.run('anything')
    expect(calls.slice(5)).toEqual([['toggle'], ['anything']])
    expect(s.loads).toHaveLength(1)
  })

  it('mounts the real widget in place of its launcher and keeps focus on the launcher', async () => {
    const s = setup()
    s.run('boot', { server: SERVER, primaryColor: '#7c3aed', position: 'left' })
    loaderButton()!.focus()
    expect(s.loads).toHaveLength(1)
    s.loads[0]!.resolve({ createEmbedRuntime })
    await settle()
    const hosts = document.querySelectorAll(`[${HOST_ATTRIBUTE}]`)
    expect(hosts).toHaveLength(1)
    expect(hosts[0]!.hasAttribute(LOADER_ATTRIBUTE)).toBe(false)
    expect(hosts[0]!.getAttribute('data-position')).toBe('left')
    const widgetLauncher = hosts[0]!.shadowRoot!.querySelector('button.launcher')
    expect(document.activeElement).toBe(hosts[0])
    expect(hosts[0]!.shadowRoot!.activeElement).toBe(widgetLauncher)
    expect(widgetLauncher?.getAttribute('aria-expanded')).toBe('false')
    s.run('shutdown')
    expect(document.querySelector(`[${HOST_ATTRIBUTE}]`)).toBeNull()
  })

  it('opens the real widget after a click, firing the page listeners', async () => {
    const s = setup()
    const opened = vi.fn()
    s.run('on', 'open', opened)
    s.run('boot', { server: SERVER })
    loaderButton()!.click()
    s.loads[0]!.resolve({ createEmbedRuntime })
    await settle()
    const host = document.querySelector(`[${HOST_ATTRIBUTE}]`)!
    await vi.waitFor(() => expect(host.shadowRoot!.querySelector('button.launcher')?.getAttribute('aria-expanded')).toBe('true'))
    expect(opened).toHaveBeenCalledTimes(1)
    expect(loaderHost()).toBeNull()
    s.run('shutdown')
  })

  it('uses the widget host attribute, so page overrides of the custom properties reach its launcher too', () => {
    expect(WIDGET_HOST_ATTRIBUTE).toBe(HOST_ATTRIBUTE)
    setup().run('boot', { server: SERVER })
    expect(loaderHost()?.hasAttribute(HOST_ATTRIBUTE)).toBe(true)
  })
})

describe('script-tag loader: failures', () => {
  it('keeps the launcher when the chat fails to load, reports it once, and retries on the next click only', async () => {
    localStorage.setItem('obrolan:visitor:outbox', JSON.stringify([{ clientId: 'c1' }]))
    const s = setup()
    s.run('boot', { server: SERVER })
    loaderButton()!.click()
    s.loads[0]!.reject(new Error('Obrolan: could not load the chat from x (404)'))
    await settle()
    expect(errors.mock.calls.map((call) => String(call[0]))).toEqual([expect.stringMatching(/could not load the chat/)])
    expect(loaderButton()).not.toBeNull()

    // Hover, focus and idle do not retry; only the visitor (or the page) asking again does.
    loaderButton()!.dispatchEvent(new Event('pointerenter'))
    loaderButton()!.focus()
    s.runIdle()
    expect(s.loads).toHaveLength(1)
    loaderButton()!.click()
    expect(s.loads).toHaveLength(2)
    const { bundle, calls } = recordingBundle()
    s.loads[1]!.resolve(bundle)
    await settle()
    expect(calls).toEqual([['boot', { server: SERVER }], ['open'], ['open']])
    expect(errors).toHaveBeenCalledTimes(1)
  })

  it('treats a chat file whose runtime cannot start as a failed load', async () => {
    const s = setup()
    s.run('boot', { server: SERVER })
    s.run('open')
    s.loads[0]!.resolve({
      createEmbedRuntime: () => {
        throw new Error('boom')
      },
    })
    await settle()
    expect(errors).toHaveBeenCalledTimes(1)
    expect(loaderButton()).not.toBeNull()
    s.run('open')
    expect(s.loads).toHaveLength(2)
  })

  it('reports bad calls on the console, keeps none of them, and never throws', async () => {
    const s = setup()
    expect(() => {
      s.run('boot', {})
      s.run('boot', { server: SERVER, primaryColor: 'red;}' })
      s.run('boot', { server: SERVER, position: 'middle' })
      s.run('on', 'open')
      s.run()
      s.run('boot', { server: SERVER })
      s.run('boot', { server: SERVER })
    }).not.toThrow()
    expect(errors.mock.calls.map((call) => String(call[0]))).toEqual([
      expect.stringMatching(/options.server/),
      expect.stringMatching(/primaryColor/),
      expect.stringMatching(/position/),
      expect.stringMatching(/a function/),
      expect.stringMatching(/unknown command/),
      expect.stringMatching(/already booted/),
    ])
    expect(document.querySelectorAll(`[${LOADER_ATTRIBUTE}]`)).toHaveLength(1)
    s.run('open')
    const { bundle, calls } = recordingBundle()
    s.loads[0]!.resolve(bundle)
    await settle()
    expect(calls).toEqual([['boot', { server: SERVER }], ['open']])
  })

  it('removes the launcher on shutdown and forgets an open asked for before it', () => {
    const s = setup()
    s.run('open')
    s.run('shutdown')
    s.run('boot', { server: SERVER })
    expect(s.loads).toHaveLength(0)
    s.run('shutdown')
    expect(loaderHost()).toBeNull()
  })
})
