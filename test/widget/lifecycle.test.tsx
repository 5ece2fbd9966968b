// @vitest-environment happy-dom
import { describe, expect, test, vi } from 'vitest'
import { memoryStorage } from '../../src/index'
import { mountWidget } from '../../src/widget'
import { HOST_ATTRIBUTE } from '../../src/widget/mount-widget'
import { WIDGET_CSS } from '../../src/widget/styles'
import { makeMessage } from './fake-client'
import { mount, update } from './render'

describe('mounting', () => {
  test('appends a host element with an open shadow root to document.body', () => {
    const { handle } = mount()
    expect(handle.host.parentNode).toBe(document.body)
    expect(handle.host.hasAttribute(HOST_ATTRIBUTE)).toBe(true)
    expect(handle.host.shadowRoot).not.toBeNull()
    expect(handle.host.shadowRoot!.mode).toBe('open')
    // Nothing of the widget is in the light DOM.
    expect(handle.host.children).toHaveLength(0)
  })

  test('is a named landmark holding the launcher and the dialog', () => {
    const { ui } = mount({ title: 'Help' })
    const landmark = ui.getByRole('complementary', { name: 'Help' })
    expect(landmark.querySelector('button.launcher')).not.toBeNull()
    expect(landmark.querySelector('[role=dialog]')).not.toBeNull()
  })

  test('appends to target when given', () => {
    const target = document.createElement('section')
    document.body.appendChild(target)
    const { handle } = mount({ target })
    expect(handle.host.parentNode).toBe(target)
  })

  test('CSP-safe markup: adopted sheets only, no <style>, no style attributes, no inline handlers', async () => {
    const { root, fake } = mount({ open: true, greeting: 'hi', primaryColor: '#123456' })
    await update(() => {
      fake.stores.messages.set([makeMessage(), makeMessage({ own: false, text: 'see https://a.io' }), makeMessage({ status: 'failed', id: undefined })])
      fake.stores.typing.set([{ id: 'a1', role: 'agent' }])
      fake.stores.unread.set(2)
    })
    expect(root.adoptedStyleSheets).toHaveLength(2)
    expect(root.querySelectorAll('style, link, script')).toHaveLength(0)
    expect(document.querySelectorAll('style')).toHaveLength(0)
    const all = [...root.querySelectorAll('*')]
    expect(all.length).toBeGreaterThan(20)
    for (const element of all) {
      expect(element.hasAttribute('style'), element.outerHTML).toBe(false)
      for (const attribute of element.getAttributeNames()) expect(attribute.startsWith('on'), `${attribute} on ${element.tagName}`).toBe(false)
    }
  })

  test('host-page CSS cannot leak in: the sheet resets the host and sets font and colour itself', () => {
    // The source text: happy-dom's CSS parser rewrites shorthands, so cssRules is not a faithful copy.
    const css = WIDGET_CSS
    expect(css).toMatch(/:host\s*\{[^}]*all:\s*initial/)
    expect(css).toMatch(/\.root\s*\{[^}]*font-family:[^}]*color:\s*var\(--obrolan-text\)/)
    expect(css).toMatch(/white-space:\s*pre-wrap/)
    expect(css).toMatch(/overflow-wrap:\s*anywhere/)
    expect(css).toMatch(/max-width:\s*480px/)
    expect(css).toMatch(/:focus-visible/)
  })

  test('throws a clear TypeError without client or url, and adds nothing', () => {
    expect(() => mountWidget({})).toThrow(/url/)
    expect(() => mountWidget({ url: '' })).toThrow(TypeError)
    expect(document.body.children).toHaveLength(0)
  })

  test('forwards client events through handle.on, and drops them on destroy', () => {
    const { handle, fake } = mount()
    const onMessage = vi.fn()
    const onStatus = vi.fn()
    handle.on('message', onMessage)
    const off = handle.on('status', onStatus)
    const message = makeMessage({ own: false })
    fake.emit('message', message)
    fake.emit('status', { prev: 'connecting', next: 'connected', reason: 'joined' })
    expect(onMessage).toHaveBeenCalledWith(message)
    expect(onStatus).toHaveBeenCalledTimes(1)
    off()
    fake.emit('status', { prev: 'connected', next: 'reconnecting', reason: 'transport_closed' })
    expect(onStatus).toHaveBeenCalledTimes(1)
    handle.destroy()
    fake.emit('message', message)
    expect(onMessage).toHaveBeenCalledTimes(1)
  })

  test('the visual viewport drives the panel height custom properties', () => {
    const viewport = Object.assign(new EventTarget(), { height: 700, offsetTop: 0 })
    const original = Object.getOwnPropertyDescriptor(window, 'visualViewport')
    Object.defineProperty(window, 'visualViewport', { configurable: true, value: viewport })
    try {
      const { handle } = mount({ open: true })
      expect(handle.host.style.getPropertyValue('--obrolan-vvh')).toBe('700px')
      viewport.height = 380.4
      viewport.offsetTop = 120
      viewport.dispatchEvent(new Event('resize'))
      expect(handle.host.style.getPropertyValue('--obrolan-vvh')).toBe('380px')
      expect(handle.host.style.getPropertyValue('--obrolan-vv-top')).toBe('120px')
      handle.destroy()
      viewport.height = 100
      viewport.dispatchEvent(new Event('resize'))
      expect(handle.host.style.getPropertyValue('--obrolan-vvh')).toBe('380px')
    } finally {
      if (original) Object.defineProperty(window, 'visualViewport', original)
      else delete (window as { visualViewport?: unknown }).visualViewport
    }
  })
})

describe('destroy', () => {
  test('unmounts and removes the host, but leaves a client it was given alone', () => {
    const { handle, fake } = mount({ open: true })
    const host = handle.host
    handle.destroy()
    expect(host.isConnected).toBe(false)
    expect(host.shadowRoot!.childNodes).toHaveLength(0)
    expect(fake.client.destroy).not.toHaveBeenCalled()
    handle.destroy() // twice is harmless
    handle.open()
    expect(handle.isOpen).toBe(true) // the state it had; a destroyed widget no longer changes
  })

  test('destroys a client the widget created', () => {
    const handle = mountWidget({ url: 'http://127.0.0.1:9', clientOptions: { autoConnect: false, storage: memoryStorage() } })
    try {
      expect(handle.client.status.get()).toBe('disconnected')
      expect(typeof handle.client.send).toBe('function')
      const destroy = vi.spyOn(handle.client, 'destroy')
      handle.destroy()
      expect(destroy).toHaveBeenCalledTimes(1)
      expect(handle.host.isConnected).toBe(false)
    } finally {
      handle.destroy()
    }
  })
})

describe('markRead', () => {
  test('is called when the panel is open and messages change', async () => {
    const { fake } = mount({ open: true })
    const before = fake.client.markRead.mock.calls.length
    expect(before).toBeGreaterThan(0)
    await update(() => fake.stores.messages.set([makeMessage({ own: false })]))
    expect(fake.client.markRead.mock.calls.length).toBe(before + 1)
  })

  test('is not called while the panel is closed; opening calls it', async () => {
    const { fake, handle } = mount()
    await update(() => fake.stores.messages.set([makeMessage({ own: false })]))
    expect(fake.client.markRead).not.toHaveBeenCalled()
    await update(() => handle.open())
    expect(fake.client.markRead).toHaveBeenCalledTimes(1)
  })

  test('is not called while the document is hidden; becoming visible calls it', async () => {
    let state: DocumentVisibilityState = 'hidden'
    const descriptor = Object.getOwnPropertyDescriptor(document, 'visibilityState')
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state })
    try {
      const { fake } = mount({ open: true })
      await update(() => fake.stores.messages.set([makeMessage({ own: false })]))
      expect(fake.client.markRead).not.toHaveBeenCalled()
      await update(() => {
        state = 'visible'
        document.dispatchEvent(new Event('visibilitychange'))
      })
      expect(fake.client.markRead).toHaveBeenCalledTimes(1)
    } finally {
      if (descriptor) Object.defineProperty(document, 'visibilityState', descriptor)
      else delete (document as { visibilityState?: unknown }).visibilityState
    }
  })
})
