// @vitest-environment happy-dom
import { fireEvent } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, test } from 'vitest'
import type { ChatMessage } from '../../src/index'
import { makeMessage } from './fake-client'
import { mount, placeRows, update } from './render'

/**
 * happy-dom does no layout: give the log the sizes a browser would compute, and each bubble a
 * place in it (rows of `rowHeight`, moved up by the scroll).
 */
function layout(root: ShadowRoot, initial: { scrollHeight: number; clientHeight: number }, rowHeight = 300) {
  const log = root.querySelector<HTMLElement>('[role=log]')!
  const sizes = { ...initial }
  Object.defineProperty(log, 'scrollHeight', { configurable: true, get: () => sizes.scrollHeight })
  Object.defineProperty(log, 'clientHeight', { configurable: true, get: () => sizes.clientHeight })
  placeRows(log, rowHeight)
  const scrollTo = (top: number) => {
    log.scrollTop = top
    fireEvent.scroll(log)
  }
  return { log, sizes, scrollTo }
}

function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

const hint = (root: ShadowRoot) => root.querySelector<HTMLButtonElement>('.new-hint')

describe('sticking to the newest message', () => {
  test('follows new messages while the reader is at the bottom', async () => {
    const { root, fake } = mount({ open: true })
    const { log, sizes } = layout(root, { scrollHeight: 1000, clientHeight: 400 })
    await update(() => fake.stores.messages.set([makeMessage({ own: false })]))
    expect(log.scrollTop).toBe(1000)
    sizes.scrollHeight = 1200
    await update(() => fake.stores.messages.set([...fake.stores.messages.get(), makeMessage({ own: false })]))
    expect(log.scrollTop).toBe(1200)
    expect(hint(root)).toBeNull()
  })

  test('the typing dots appearing keep the bottom in view', async () => {
    const { root, fake } = mount({ open: true })
    const { log, sizes } = layout(root, { scrollHeight: 1000, clientHeight: 400 })
    await update(() => fake.stores.messages.set([makeMessage({ own: false })]))
    sizes.scrollHeight = 1040
    await update(() => fake.stores.typing.set([{ id: 'a1', role: 'agent' }]))
    expect(log.scrollTop).toBe(1040)
  })

  test('scrolled up: stays put and offers a "New messages" button that scrolls down', async () => {
    const { root, ui, fake } = mount({ open: true })
    const { log, sizes, scrollTo } = layout(root, { scrollHeight: 1000, clientHeight: 400 })
    await update(() => fake.stores.messages.set([makeMessage({ own: false }), makeMessage({ own: false })]))
    scrollTo(200)
    sizes.scrollHeight = 1100
    await update(() => fake.stores.messages.set([...fake.stores.messages.get(), makeMessage({ own: false, text: 'new one' })]))
    expect(log.scrollTop).toBe(200)
    const button = ui.getByRole('button', { name: 'New messages' })
    expect(button).toBe(hint(root))

    await userEvent.setup().click(button)
    expect(log.scrollTop).toBe(1100)
    expect(hint(root)).toBeNull()
    expect(root.activeElement).toBe(log)
  })

  test('a change that appends nothing (a status update) does not raise the hint', async () => {
    const { root, fake } = mount({ open: true })
    const { scrollTo } = layout(root, { scrollHeight: 1000, clientHeight: 400 })
    const mine = makeMessage({ status: 'sent' })
    await update(() => fake.stores.messages.set([makeMessage({ own: false }), mine]))
    scrollTo(100)
    await update(() => fake.stores.messages.set([fake.stores.messages.get()[0]!, { ...mine, status: 'read' }]))
    expect(hint(root)).toBeNull()
  })

  test('scrolling back down by hand hides the hint', async () => {
    const { root, fake } = mount({ open: true })
    const { sizes, scrollTo } = layout(root, { scrollHeight: 1000, clientHeight: 400 })
    await update(() => fake.stores.messages.set([makeMessage({ own: false })]))
    scrollTo(100)
    sizes.scrollHeight = 1100
    await update(() => fake.stores.messages.set([...fake.stores.messages.get(), makeMessage({ own: false })]))
    expect(hint(root)).not.toBeNull()
    await update(() => scrollTo(700))
    expect(hint(root)).toBeNull()
  })

  test('closing and reopening keeps the reader where they were', async () => {
    const { root, fake, handle } = mount({ open: true })
    const { log, sizes, scrollTo } = layout(root, { scrollHeight: 1000, clientHeight: 400 })
    await update(() => fake.stores.messages.set([makeMessage({ own: false }), makeMessage({ own: false })]))
    scrollTo(250)
    await update(() => handle.close())
    // A display: none element loses its scroll position in browsers.
    sizes.clientHeight = 0
    log.scrollTop = 0
    await update(() => handle.open())
    sizes.clientHeight = 400
    expect(log.scrollTop).toBe(250)
  })

  test('reopening after reading at the bottom shows the newest messages', async () => {
    const { root, fake, handle } = mount({ open: true })
    const { log, sizes } = layout(root, { scrollHeight: 1000, clientHeight: 400 })
    await update(() => fake.stores.messages.set([makeMessage({ own: false })]))
    await update(() => handle.close())
    sizes.scrollHeight = 1300
    await update(() => fake.stores.messages.set([...fake.stores.messages.get(), makeMessage({ own: false })]))
    log.scrollTop = 0
    await update(() => handle.open())
    expect(log.scrollTop).toBe(1300)
  })

  test('sending while scrolled up jumps to the bottom', async () => {
    const { root, fake } = mount({ open: true })
    const { log, sizes, scrollTo } = layout(root, { scrollHeight: 1000, clientHeight: 400 })
    await update(() => fake.stores.messages.set([makeMessage({ own: false })]))
    scrollTo(0)
    sizes.scrollHeight = 1080
    const user = userEvent.setup()
    await user.type(root.querySelector('textarea')!, 'mine{Enter}')
    await update(() => {})
    expect(log.scrollTop).toBe(1080)
    expect(hint(root)).toBeNull()
  })
})

describe('loading older history', () => {
  function setup(older: ChatMessage[]) {
    const m = mount({ open: true, greeting: 'Welcome!' })
    const current = [makeMessage({ own: false }), makeMessage()]
    const view = layout(m.root, { scrollHeight: 1000, clientHeight: 400 })
    const pending = deferred<number>()
    m.fake.client.loadOlder.mockImplementation(async () => {
      const count = await pending.promise
      m.fake.stores.messages.set([...older, ...m.fake.stores.messages.get()])
      view.sizes.scrollHeight = 1000 + 300 * older.length
      m.fake.stores.hasOlder.set(false)
      return count
    })
    return { ...m, ...view, current, pending }
  }

  test('scrolling to the top loads older messages once and keeps the visible message in place', async () => {
    const older = [makeMessage({ own: false, text: 'old 1' }), makeMessage({ own: false, text: 'old 2' })]
    const { root, fake, log, scrollTo, current, pending } = setup(older)
    await update(() => {
      fake.stores.hasOlder.set(true)
      fake.stores.messages.set(current)
    })
    expect(log.scrollTop).toBe(1000)
    // The greeting opens the conversation: it waits until the beginning is loaded.
    expect(root.querySelector('.greeting')).toBeNull()

    await update(() => scrollTo(4))
    await update(() => scrollTo(0))
    expect(fake.client.loadOlder).toHaveBeenCalledTimes(1)

    await update(() => pending.resolve(2))
    // 600px were added above the reader (now at 0): what they were looking at stays in view.
    expect(log.scrollTop).toBe(0 + 600)
    const texts = [...root.querySelectorAll('.log .row:not(.greeting) .bubble')].map((b) => b.textContent)
    expect(texts.slice(0, 2)).toEqual(['Sari: old 1', 'Sari: old 2'])
    expect(root.querySelector('.greeting')).not.toBeNull()
  })

  test('without older history, reaching the top loads nothing', async () => {
    const { fake, scrollTo, current } = setup([])
    await update(() => fake.stores.messages.set(current))
    await update(() => scrollTo(0))
    expect(fake.client.loadOlder).not.toHaveBeenCalled()
  })

  test('the "Show earlier messages" button loads older history too', async () => {
    const { ui, fake, current, pending } = setup([makeMessage({ own: false, text: 'older' })])
    await update(() => {
      fake.stores.hasOlder.set(true)
      fake.stores.messages.set(current)
    })
    await userEvent.setup().click(ui.getByRole('button', { name: 'Show earlier messages' }))
    expect(fake.client.loadOlder).toHaveBeenCalledTimes(1)
    await update(() => pending.resolve(1))
    expect(ui.getByText('older')).toBeTruthy()
    expect(ui.queryByRole('button', { name: 'Show earlier messages' })).toBeNull()
  })

  test('a failed load shows the error and can be tried again', async () => {
    const { ui, fake, scrollTo, current } = setup([])
    fake.client.loadOlder.mockRejectedValueOnce(new Error('get_history: no answer'))
    await update(() => {
      fake.stores.hasOlder.set(true)
      fake.stores.messages.set(current)
    })
    await update(() => scrollTo(0))
    expect(ui.getByRole('alert').textContent).toBe('get_history: no answer')
    await update(() => scrollTo(0))
    expect(fake.client.loadOlder).toHaveBeenCalledTimes(2)
  })
})
