// @vitest-environment happy-dom
/**
 * Getting the visitor's attention: the chime for an agent's message while the panel is closed or
 * the tab hidden (muted: never; before the first click or key press: never), the unread count in
 * the title while hidden and the page's own title back exactly, the launcher's badge.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { unreadTitle } from '../../src/widget/notifications/unread-title'
import { AGENT, makeMessage } from './fake-client'
import { mount, update } from './render'

/** Oscillators started by the widget's Web Audio chime (two per chime). */
let started = 0
let contexts = 0
class FakeAudioContext {
  state = 'running'
  currentTime = 0
  destination = {}
  constructor() {
    contexts++
  }
  createOscillator() {
    return { type: '', frequency: { value: 0 }, connect: (node: unknown) => node, start: () => void started++, stop: () => {} }
  }
  createGain() {
    const gain = { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: (node: unknown) => node }
    return gain
  }
  resume = async () => {}
}

let visibility: DocumentVisibilityState = 'visible'
function setVisibility(state: DocumentVisibilityState): void {
  visibility = state
  document.dispatchEvent(new Event('visibilitychange'))
}

beforeEach(() => {
  started = 0
  contexts = 0
  visibility = 'visible'
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility })
  ;(window as unknown as { AudioContext: unknown }).AudioContext = FakeAudioContext
  document.title = 'Toko Kopi — Gayo'
})
afterEach(() => {
  localStorage.clear()
})

const chimes = () => started / 2
const fromAgent = () => makeMessage({ own: false, author: AGENT })
const interact = () => document.dispatchEvent(new Event('pointerdown'))

describe('the chime', () => {
  test('plays for an agent’s message while the panel is closed, once the visitor has clicked the page', async () => {
    const { fake } = mount()
    fake.emit('message', fromAgent())
    expect(chimes()).toBe(0) // nothing before the first interaction
    expect(contexts).toBe(0) // not even an audio context
    interact()
    fake.emit('message', fromAgent())
    expect(chimes()).toBe(1)
    // The visitor's own messages (another tab's) and a visitor-side message are not news.
    fake.emit('message', makeMessage({ own: true }))
    expect(chimes()).toBe(1)
  })

  test('is quiet while the panel is open and in view, and plays when the tab is hidden', async () => {
    const { fake } = mount({ open: true })
    interact()
    fake.emit('message', fromAgent())
    expect(chimes()).toBe(0)
    setVisibility('hidden')
    fake.emit('message', fromAgent())
    expect(chimes()).toBe(1)
  })

  test('never plays when muted, nor with sound: false', async () => {
    const { fake, ui } = mount({ open: true })
    interact()
    await update(() => ui.getByRole('button', { name: 'Mute sounds' }).click())
    setVisibility('hidden')
    fake.emit('message', fromAgent())
    expect(chimes()).toBe(0)
    const quiet = mount({ sound: false })
    quiet.fake.emit('message', fromAgent())
    expect(chimes()).toBe(0)
  })
})

describe('the unread count in the title', () => {
  test('shows while the tab is hidden and gives the page its own title back, exactly, once seen', async () => {
    const { fake } = mount()
    await update(() => fake.stores.unread.set(2))
    expect(document.title).toBe('Toko Kopi — Gayo')
    setVisibility('hidden')
    expect(document.title).toBe('(2) Toko Kopi — Gayo')
    await update(() => fake.stores.unread.set(3))
    expect(document.title).toBe('(3) Toko Kopi — Gayo')
    setVisibility('visible')
    expect(document.title).toBe('Toko Kopi — Gayo')
    setVisibility('hidden')
    await update(() => fake.stores.unread.set(0))
    expect(document.title).toBe('Toko Kopi — Gayo')
  })

  test('keeps a title the page set meanwhile', () => {
    const title = unreadTitle(document)
    title.update(1, true)
    expect(document.title).toBe('(1) Toko Kopi — Gayo')
    document.title = 'Keranjang (2 barang)'
    title.update(2, true)
    expect(document.title).toBe('(2) Keranjang (2 barang)')
    title.update(0, false)
    expect(document.title).toBe('Keranjang (2 barang)')
    // Changed by the page while the count showed, then read: the page's title stays.
    title.update(1, true)
    document.title = 'Checkout'
    title.update(0, false)
    expect(document.title).toBe('Checkout')
  })

  test('is removed with the widget', async () => {
    const { fake, handle } = mount()
    setVisibility('hidden')
    await update(() => fake.stores.unread.set(4))
    expect(document.title).toBe('(4) Toko Kopi — Gayo')
    handle.destroy()
    expect(document.title).toBe('Toko Kopi — Gayo')
  })
})
