// @vitest-environment happy-dom
import { fireEvent } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, test } from 'vitest'
import { ChatError } from '../../src/index'
import { mount, update } from './render'
import { createFakeClient } from './fake-client'

const field = (root: ShadowRoot) => root.querySelector('textarea')!

describe('composer', () => {
  test('the text field has a label', () => {
    const { ui, root } = mount({ open: true })
    expect(ui.getByLabelText('Message', { selector: 'textarea' })).toBe(field(root))
  })

  test('Enter sends the trimmed text and clears the field', async () => {
    const { ui, fake, root } = mount({ open: true })
    const user = userEvent.setup()
    await user.click(field(root))
    await user.keyboard('  Hello there  {Enter}')
    expect(fake.client.send).toHaveBeenCalledTimes(1)
    expect(fake.client.send).toHaveBeenCalledWith('Hello there')
    expect(field(root).value).toBe('')
    expect(await ui.findByText('Hello there')).toBeTruthy()
  })

  test('the Send button sends too', async () => {
    const { ui, fake, root } = mount({ open: true })
    const user = userEvent.setup()
    await user.type(field(root), 'via button')
    await user.click(ui.getByRole('button', { name: 'Send' }))
    expect(fake.client.send).toHaveBeenCalledWith('via button')
    expect(field(root).value).toBe('')
  })

  test('Shift+Enter inserts a new line and does not send', async () => {
    const { fake, root } = mount({ open: true })
    const user = userEvent.setup()
    await user.click(field(root))
    await user.keyboard('line one{Shift>}{Enter}{/Shift}line two')
    expect(fake.client.send).not.toHaveBeenCalled()
    expect(field(root).value).toBe('line one\nline two')
    await user.keyboard('{Enter}')
    expect(fake.client.send).toHaveBeenCalledWith('line one\nline two')
  })

  test('empty or whitespace-only text is not sent', async () => {
    const { ui, fake, root } = mount({ open: true })
    const user = userEvent.setup()
    await user.click(field(root))
    await user.keyboard('{Enter}')
    await user.keyboard('   {Enter}')
    await user.click(ui.getByRole('button', { name: 'Send' }))
    expect(fake.client.send).not.toHaveBeenCalled()
    expect(ui.getByRole('alert').textContent).toBe('')
  })

  test('Enter during IME composition does not send', async () => {
    const { fake, root } = mount({ open: true })
    const textarea = field(root)
    fireEvent.input(textarea, { target: { value: 'にほん' } })
    // Chrome and Firefox: the confirming Enter has isComposing set.
    fireEvent.keyDown(textarea, { key: 'Enter', isComposing: true })
    // Safari: isComposing is already false, but keyCode is 229.
    fireEvent.keyDown(textarea, { key: 'Enter', keyCode: 229 })
    // Between compositionstart and compositionend.
    fireEvent.compositionStart(textarea)
    fireEvent.keyDown(textarea, { key: 'Enter' })
    expect(fake.client.send).not.toHaveBeenCalled()
    fireEvent.compositionEnd(textarea)
    fireEvent.keyDown(textarea, { key: 'Enter' })
    expect(fake.client.send).toHaveBeenCalledWith('にほん')
  })

  test('a send that throws keeps the draft and shows the error in the alert region', async () => {
    const { ui, fake, root } = mount({ open: true })
    fake.client.send.mockImplementation(() => {
      throw new ChatError('too_long', 'Message text is 5000 characters; the limit is 4000')
    })
    const user = userEvent.setup()
    await user.type(field(root), 'a very long text{Enter}')
    expect(fake.client.send).toHaveBeenCalledTimes(1)
    expect(field(root).value).toBe('a very long text')
    expect(ui.getByRole('alert').textContent).toBe('Message text is 5000 characters; the limit is 4000')
    // Typing again clears the stale error; the draft is still there.
    await user.type(field(root), '!')
    expect(ui.getByRole('alert').textContent).toBe('')
    expect(field(root).value).toBe('a very long text!')
  })

  test('typing signals typing and clearing the field stops it; sending leaves the stop to `send`', async () => {
    const { fake, root } = mount({ open: true })
    const user = userEvent.setup()
    await user.type(field(root), 'h')
    expect(fake.client.setTyping).toHaveBeenLastCalledWith(true)
    await user.keyboard('{Backspace}')
    expect(fake.client.setTyping).toHaveBeenLastCalledWith(false)
    await user.keyboard('hi')
    expect(fake.client.setTyping).toHaveBeenLastCalledWith(true)
    const calls = fake.client.setTyping.mock.calls.length
    await user.keyboard('{Enter}')
    expect(fake.client.send).toHaveBeenCalledWith('hi')
    expect(fake.client.setTyping.mock.calls.length).toBe(calls)
  })

  test('the draft survives closing and reopening the panel', async () => {
    const { root, handle } = mount({ open: true })
    await userEvent.setup().type(field(root), 'half a thought')
    await update(() => handle.close())
    await update(() => handle.open())
    expect(field(root).value).toBe('half a thought')
  })

  test('the draft is kept in sessionStorage and restored by a new widget', async () => {
    const first = mount({ open: true })
    await userEvent.setup().type(field(first.root), 'keep me')
    expect(sessionStorage.getItem('obrolan:draft')).toBe('keep me')
    first.handle.destroy()
    const second = mount({ open: true })
    expect(field(second.root).value).toBe('keep me')
    await userEvent.setup().type(field(second.root), '{Enter}')
    expect(second.fake.client.send).toHaveBeenCalledWith('keep me')
    expect(sessionStorage.getItem('obrolan:draft')).toBeNull()
  })

  test("the draft key follows the client's storage key", async () => {
    const fake = createFakeClient()
    Object.assign(fake.client, { storageKey: 'shop' })
    const { root } = mount({ open: true }, fake)
    await userEvent.setup().type(field(root), 'x')
    expect(sessionStorage.getItem('shop:draft')).toBe('x')
  })

  test('a sessionStorage that throws does not break the widget', async () => {
    const descriptor = Object.getOwnPropertyDescriptor(window, 'sessionStorage')
    Object.defineProperty(window, 'sessionStorage', {
      configurable: true,
      get() {
        throw new DOMException('blocked', 'SecurityError')
      },
    })
    try {
      const { root, fake } = mount({ open: true })
      await userEvent.setup().type(field(root), 'still works{Enter}')
      expect(fake.client.send).toHaveBeenCalledWith('still works')
    } finally {
      Object.defineProperty(window, 'sessionStorage', descriptor!)
    }
  })
})
