// @vitest-environment happy-dom
import { fireEvent } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, test, vi } from 'vitest'
import { mount, update } from './render'

const launcher = (root: ShadowRoot) => root.querySelector<HTMLButtonElement>('button.launcher')!
const dialog = (root: ShadowRoot) => root.querySelector<HTMLElement>('[role=dialog]')!

describe('launcher', () => {
  test('is a button with aria-expanded and aria-controls pointing at the dialog', async () => {
    const { root, ui } = mount()
    const button = ui.getByRole('button', { name: 'Open chat', expanded: false })
    expect(button).toBe(launcher(root))
    expect(button.getAttribute('aria-controls')).toBe(dialog(root).id)
    expect(dialog(root).hidden).toBe(true)

    await userEvent.setup().click(button)
    expect(button.getAttribute('aria-expanded')).toBe('true')
    expect(dialog(root).hidden).toBe(false)
    expect(ui.getByRole('dialog', { name: 'Chat with us' })).toBeTruthy()
    expect(ui.getByRole('button', { name: 'Close chat', expanded: true })).toBe(button)

    await userEvent.setup().click(button)
    expect(button.getAttribute('aria-expanded')).toBe('false')
    expect(dialog(root).hidden).toBe(true)
  })

  test('opening moves focus to the text field', async () => {
    const { root } = mount()
    await userEvent.setup().click(launcher(root))
    expect(root.activeElement).toBe(root.querySelector('textarea'))
  })

  test('starting open (option) shows the panel without stealing focus', () => {
    const before = document.createElement('input')
    document.body.appendChild(before)
    before.focus()
    const { root, handle } = mount({ open: true })
    expect(handle.isOpen).toBe(true)
    expect(dialog(root).hidden).toBe(false)
    expect(document.activeElement).toBe(before)
  })

  test('Esc inside the panel closes it and returns focus to the launcher', async () => {
    const { root, handle } = mount()
    const user = userEvent.setup()
    await user.click(launcher(root))
    expect(root.activeElement).toBe(root.querySelector('textarea'))
    await user.keyboard('{Escape}')
    expect(handle.isOpen).toBe(false)
    await update(() => {})
    expect(dialog(root).hidden).toBe(true)
    expect(root.activeElement).toBe(launcher(root))
    expect(launcher(root).getAttribute('aria-expanded')).toBe('false')
  })

  test('Esc does not reach the page', async () => {
    const { root } = mount({ open: true })
    const pageListener = vi.fn()
    document.addEventListener('keydown', pageListener)
    try {
      fireEvent.keyDown(root.querySelector('textarea')!, { key: 'Escape' })
      expect(pageListener).not.toHaveBeenCalled()
    } finally {
      document.removeEventListener('keydown', pageListener)
    }
  })

  test('the header close button closes and returns focus to the launcher', async () => {
    const { root, ui, handle } = mount()
    const user = userEvent.setup()
    await user.click(launcher(root))
    const close = ui.getAllByRole('button', { name: 'Close chat' }).find((b: HTMLElement) => b !== launcher(root))!
    await user.click(close)
    expect(handle.isOpen).toBe(false)
    expect(root.activeElement).toBe(launcher(root))
  })

  test('closing from the API while focus is inside returns focus to the launcher', async () => {
    const { root, handle } = mount()
    await userEvent.setup().click(launcher(root))
    expect(root.activeElement).toBe(root.querySelector('textarea'))
    await update(() => handle.close())
    expect(root.activeElement).toBe(launcher(root))
  })

  test('handle.open/close/toggle change the panel and emit open/close once per change', async () => {
    const { root, handle } = mount()
    const opened = vi.fn()
    const closed = vi.fn()
    handle.on('open', opened)
    const offClose = handle.on('close', closed)
    await update(() => handle.open())
    await update(() => handle.open())
    expect(handle.isOpen).toBe(true)
    expect(dialog(root).hidden).toBe(false)
    expect(opened).toHaveBeenCalledTimes(1)
    await update(() => handle.toggle())
    expect(handle.isOpen).toBe(false)
    expect(dialog(root).hidden).toBe(true)
    expect(closed).toHaveBeenCalledTimes(1)
    offClose()
    await update(() => handle.toggle())
    await update(() => handle.close())
    expect(closed).toHaveBeenCalledTimes(1)
    expect(opened).toHaveBeenCalledTimes(2)
  })

  test('the launcher sits on the side given by position', () => {
    expect(mount().handle.host.getAttribute('data-position')).toBe('right')
    expect(mount({ position: 'left' }).handle.host.getAttribute('data-position')).toBe('left')
  })
})

describe('unread badge', () => {
  test('is hidden at 0', () => {
    const { ui, root } = mount()
    expect(root.querySelector('.badge')).toBeNull()
    expect(ui.getByRole('button', { name: 'Open chat' })).toBeTruthy()
  })

  test('shows the count with an accessible label', async () => {
    const { ui, fake, root } = mount()
    await update(() => fake.stores.unread.set(3))
    const badge = root.querySelector('.badge')!
    expect(badge.querySelector('[aria-hidden=true]')!.textContent).toBe('3')
    expect(ui.getByRole('button', { name: 'Open chat , 3 unread messages' })).toBeTruthy()
    await update(() => fake.stores.unread.set(1))
    expect(ui.getByText(', 1 unread message')).toBeTruthy()
  })

  test('shows 9+ above 9 while the label keeps the exact count', async () => {
    const { fake, root } = mount()
    await update(() => fake.stores.unread.set(12))
    const badge = root.querySelector('.badge')!
    expect(badge.querySelector('[aria-hidden=true]')!.textContent).toBe('9+')
    expect(badge.textContent).toContain('12 unread messages')
    await update(() => fake.stores.unread.set(9))
    expect(root.querySelector('.badge')!.querySelector('[aria-hidden=true]')!.textContent).toBe('9')
    await update(() => fake.stores.unread.set(0))
    expect(root.querySelector('.badge')).toBeNull()
  })

  test('is in Indonesian with locale id', async () => {
    const { ui, fake } = mount({ locale: 'id' })
    await update(() => fake.stores.unread.set(4))
    expect(ui.getByText(', 4 pesan belum dibaca')).toBeTruthy()
  })
})
