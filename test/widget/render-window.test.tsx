// @vitest-environment happy-dom
import { fireEvent } from '@testing-library/preact'
import { describe, expect, test } from 'vitest'
import type { ChatMessage } from '../../src/index'
import { RENDER_WINDOW, widenedStart, windowAnchor, windowStart } from '../../src/ui/render-window'
import { makeMessage } from './fake-client'
import { mount, placeRows, update } from './render'

const many = (count: number, text = 'm') => Array.from({ length: count }, (_, i) => makeMessage({ own: i % 2 === 0, text: `${text} ${i}` }))
const rows = (root: ShadowRoot) => [...root.querySelectorAll('.log .row:not(.greeting) .bubble')].map((b) => b.textContent!.replace(/^(Sari|You): /, ''))

/** happy-dom does no layout: every row is 100px high, the log shows 400px of them. */
function layout(root: ShadowRoot) {
  const log = root.querySelector<HTMLElement>('[role=log]')!
  Object.defineProperty(log, 'scrollHeight', { configurable: true, get: () => log.querySelectorAll('.row').length * 100 })
  Object.defineProperty(log, 'clientHeight', { configurable: true, get: () => 400 })
  placeRows(log, 100)
  const scrollTo = (top: number) => {
    log.scrollTop = top
    fireEvent.scroll(log)
  }
  return { log, scrollTo }
}

describe('the render window, as pure functions', () => {
  const list = many(250)
  test('starts at the newest window when nothing is anchored, at the anchor while it is held', () => {
    expect(windowStart(list, undefined, 100)).toBe(150)
    expect(windowStart(list.slice(0, 40), undefined, 100)).toBe(0)
    expect(windowStart(list, list[30]!.clientId, 100)).toBe(30)
    // A stale hint is checked, not trusted.
    expect(windowStart(list, list[30]!.clientId, 100, 29)).toBe(30)
    // History prepended: the same message, further down.
    const more = [...many(20, 'older'), ...list]
    expect(windowStart(more, list[30]!.clientId, 100, 30)).toBe(50)
    // The anchor left the list (a new conversation): the newest window again.
    expect(windowStart(list.slice(200), list[30]!.clientId, 100)).toBe(0)
  })

  test('anchors only on confirmed messages, and widens to the top at most', () => {
    const pending: ChatMessage = { ...makeMessage(), id: undefined, seq: undefined, status: 'pending' }
    expect(windowAnchor([pending, ...list], 0)).toBeUndefined()
    expect(windowAnchor(list, 3)).toBe(list[3]!.clientId)
    expect(windowAnchor([], 0)).toBeUndefined()
    expect(widenedStart(150, 100)).toBe(50)
    expect(widenedStart(50, 100)).toBe(0)
  })
})

describe('a long conversation in the widget', () => {
  test('renders the newest part, and reaching the top shows what is loaded before asking the server', async () => {
    const { root, fake } = mount({ open: true, greeting: 'Welcome!' })
    const view = layout(root)
    const all = many(250)
    await update(() => fake.stores.messages.set(all))
    expect(rows(root)).toEqual(all.slice(150).map((m) => m.text))
    // More is loaded above: the way up is offered, the greeting waits for the beginning.
    expect(root.querySelector('.older')).not.toBeNull()
    expect(root.querySelector('.greeting')).toBeNull()

    view.scrollTo(0)
    await update(() => {})
    expect(rows(root)).toEqual(all.slice(50).map((m) => m.text))
    // The reader's message stays where it was: scrolled down by the 100 rows added above.
    expect(view.log.scrollTop).toBe(10_000)
    expect(fake.client.loadOlder).not.toHaveBeenCalled()

    view.scrollTo(0)
    await update(() => {})
    expect(rows(root)).toEqual(all.map((m) => m.text))
    expect(root.querySelector('.greeting')).not.toBeNull()
    expect(fake.client.loadOlder).not.toHaveBeenCalled()
  })

  test('asks the server once everything loaded is shown, and shows what came', async () => {
    const { root, fake } = mount({ open: true })
    const view = layout(root)
    const all = many(150)
    const older = many(60, 'older')
    fake.client.loadOlder.mockImplementation(async () => {
      fake.stores.messages.set([...older, ...fake.stores.messages.get()])
      fake.stores.hasOlder.set(false)
      return older.length
    })
    await update(() => {
      fake.stores.hasOlder.set(true)
      fake.stores.messages.set(all)
    })
    expect(rows(root)).toHaveLength(RENDER_WINDOW)
    view.scrollTo(0) // the 50 loaded above
    await update(() => {})
    expect(rows(root)).toHaveLength(150)
    expect(fake.client.loadOlder).not.toHaveBeenCalled()
    view.scrollTo(0) // now from the server
    await update(() => {})
    await update(() => {})
    expect(fake.client.loadOlder).toHaveBeenCalledTimes(1)
    expect(rows(root)).toEqual([...older, ...all].map((m) => m.text))
  })

  test('keeps everything rendered as the conversation grows live, and a new conversation starts afresh', async () => {
    const { root, fake } = mount({ open: true })
    layout(root)
    const first = many(80)
    await update(() => fake.stores.messages.set(first))
    const live = many(60, 'live')
    await update(() => fake.stores.messages.set([...first, ...live]))
    // Nothing the reader may be looking at is taken away.
    expect(rows(root)).toHaveLength(140)

    const other = many(300, 'other')
    await update(() => fake.stores.messages.set(other))
    expect(rows(root)).toEqual(other.slice(200).map((m) => m.text))
  })

  test('history arriving before an unsent message is shown with it', async () => {
    const { root, fake } = mount({ open: true })
    layout(root)
    const unsent: ChatMessage = { ...makeMessage({ text: 'typed offline' }), id: undefined, seq: undefined, status: 'pending' }
    await update(() => fake.stores.messages.set([unsent]))
    const history = many(40, 'history')
    await update(() => fake.stores.messages.set([...history, unsent]))
    expect(rows(root)).toEqual([...history.map((m) => m.text), 'typed offline'])
  })
})
