// @vitest-environment happy-dom
import { act, fireEvent, within } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { ChatError, type ChatMessage } from '../../src/index'
import { WIDGET_CSS } from '../../src/widget/styles'
import { UNDO_MS } from '../../src/widget/use-pending-deletes'
import { makeMessage } from './fake-client'
import { mount, update } from './render'

const row = (root: ShadowRoot, message: ChatMessage) => root.querySelector<HTMLElement>(`[data-client-id="${message.clientId}"]`)!
const inRow = (root: ShadowRoot, message: ChatMessage) => within(row(root, message))
const field = (root: ShadowRoot) => root.querySelector('textarea')!
// user.clear() cannot see focus inside a shadow root, so empty the field with an input event.
const clear = (root: ShadowRoot) => fireEvent.input(field(root), { target: { value: '' } })

describe('edit and delete buttons', () => {
  test('only own confirmed messages that are not deleted have them', async () => {
    const { root, fake } = mount({ open: true })
    const mine = makeMessage()
    const theirs = makeMessage({ own: false })
    const pending = makeMessage({ status: 'pending', id: undefined })
    const deleted = makeMessage({ deleted: true, text: '' })
    const read = makeMessage({ status: 'read' })
    await update(() => fake.stores.messages.set([mine, theirs, pending, deleted, read]))
    expect(inRow(root, mine).getByRole('button', { name: 'Edit' })).toBeTruthy()
    expect(inRow(root, mine).getByRole('button', { name: 'Delete' })).toBeTruthy()
    expect(inRow(root, read).getByRole('button', { name: 'Edit' })).toBeTruthy()
    for (const m of [theirs, pending, deleted]) expect(inRow(root, m).queryByRole('button', { name: 'Edit' })).toBeNull()
  })

  test('they show on hover and on keyboard focus (stylesheet)', () => {
    // The source text: happy-dom's CSS parser rewrites shorthands, so cssRules is not a faithful copy.
    const css = WIDGET_CSS
    expect(css).toMatch(/\.row:hover \.actions,\s*\.row:focus-within \.actions\s*\{[^}]*opacity:\s*1/)
  })
})

describe('editing', () => {
  test('Edit loads the text with an Editing bar; Enter saves via client.edit; the draft comes back', async () => {
    const { root, ui, fake } = mount({ open: true })
    const message = makeMessage({ text: 'helo world' })
    await update(() => fake.stores.messages.set([message]))
    const user = userEvent.setup()
    await user.type(field(root), 'my draft')

    await user.click(inRow(root, message).getByRole('button', { name: 'Edit' }))
    expect(ui.getByText('Editing message')).toBeTruthy()
    expect(field(root).value).toBe('helo world')
    expect(root.activeElement).toBe(field(root))
    expect(ui.getByRole('button', { name: 'Save' })).toBeTruthy()
    expect(row(root, message).classList.contains('is-editing')).toBe(true)

    clear(root)
    await user.type(field(root), 'hello world{Enter}')
    expect(fake.client.edit).toHaveBeenCalledWith(message.id, 'hello world')
    expect(fake.client.send).not.toHaveBeenCalled()
    await update(() => {})
    expect(ui.queryByText('Editing message')).toBeNull()
    expect(field(root).value).toBe('my draft')
    expect(row(root, message).querySelector('.bubble')!.textContent).toBe('You: hello world')
    expect(row(root, message).textContent).toContain('edited')
  })

  test('Esc cancels editing (without closing the panel), restoring the draft', async () => {
    const { root, ui, fake, handle } = mount({ open: true })
    const message = makeMessage({ text: 'original' })
    await update(() => fake.stores.messages.set([message]))
    const user = userEvent.setup()
    await user.type(field(root), 'draft')
    await user.click(inRow(root, message).getByRole('button', { name: 'Edit' }))
    await user.type(field(root), ' changed')
    await user.keyboard('{Escape}')
    expect(ui.queryByText('Editing message')).toBeNull()
    expect(field(root).value).toBe('draft')
    expect(handle.isOpen).toBe(true)
    expect(fake.client.edit).not.toHaveBeenCalled()
    // A second Esc closes the panel.
    await user.keyboard('{Escape}')
    expect(handle.isOpen).toBe(false)
  })

  test('the Cancel button cancels editing', async () => {
    const { root, ui, fake } = mount({ open: true })
    const message = makeMessage({ text: 'original' })
    await update(() => fake.stores.messages.set([message]))
    const user = userEvent.setup()
    await user.click(inRow(root, message).getByRole('button', { name: 'Edit' }))
    await user.click(ui.getByRole('button', { name: 'Cancel' }))
    expect(ui.queryByText('Editing message')).toBeNull()
    expect(field(root).value).toBe('')
    expect(fake.client.edit).not.toHaveBeenCalled()
  })

  test('saving unchanged text just leaves editing; saving empty text does nothing', async () => {
    const { root, ui, fake } = mount({ open: true })
    const message = makeMessage({ text: 'same' })
    await update(() => fake.stores.messages.set([message]))
    const user = userEvent.setup()
    await user.click(inRow(root, message).getByRole('button', { name: 'Edit' }))
    clear(root)
    await user.keyboard('  {Enter}')
    expect(ui.getByText('Editing message')).toBeTruthy()
    clear(root)
    await user.keyboard('same{Enter}')
    expect(ui.queryByText('Editing message')).toBeNull()
    expect(fake.client.edit).not.toHaveBeenCalled()
  })

  test('an edit the server refuses stays in the composer with the error shown', async () => {
    const { root, ui, fake } = mount({ open: true })
    const message = makeMessage({ text: 'x' })
    await update(() => fake.stores.messages.set([message]))
    fake.client.edit.mockRejectedValueOnce(new ChatError('forbidden', 'edit_message: not your message'))
    const user = userEvent.setup()
    await user.click(inRow(root, message).getByRole('button', { name: 'Edit' }))
    await user.type(field(root), 'y{Enter}')
    await update(() => {})
    expect(ui.getByRole('alert').textContent).toBe('edit_message: not your message')
    expect(ui.getByText('Editing message')).toBeTruthy()
    expect(field(root).value).toBe('xy')
  })
})

describe('deleting', () => {
  afterEach(() => void vi.useRealTimers())

  test('Delete shows "Message deleted. Undo" in the row’s place and deletes after five seconds', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const { root, fake } = mount({ open: true })
    const message = makeMessage({ text: 'oops' })
    await update(() => fake.stores.messages.set([message]))
    await userEvent.setup({ advanceTimers: vi.advanceTimersByTime }).click(inRow(root, message).getByRole('button', { name: 'Delete' }))
    expect(row(root, message).textContent).toBe('Message deleted.Undo')
    expect(fake.client.remove).not.toHaveBeenCalled()
    await act(() => void vi.advanceTimersByTime(UNDO_MS - 10))
    expect(fake.client.remove).not.toHaveBeenCalled()
    await act(() => void vi.advanceTimersByTime(20))
    expect(fake.client.remove).toHaveBeenCalledWith(message.id)
    await update(() => {})
    expect(row(root, message).textContent).toContain('This message was deleted')
  })

  test('Undo puts the message back as it was and deletes nothing', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const { root, fake } = mount({ open: true, locale: 'id' })
    const message = makeMessage({ text: 'masih di sini' })
    await update(() => fake.stores.messages.set([message]))
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime })
    await user.click(inRow(root, message).getByRole('button', { name: 'Hapus' }))
    expect(row(root, message).textContent).toBe('Pesan dihapus.Urungkan')
    await user.click(inRow(root, message).getByRole('button', { name: 'Urungkan' }))
    expect(row(root, message).textContent).toContain('masih di sini')
    await act(() => void vi.advanceTimersByTime(UNDO_MS * 2))
    expect(fake.client.remove).not.toHaveBeenCalled()
  })

  test('a refused delete puts the message back and says why, in the widget’s language', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true })
    const { root, ui, fake } = mount({ open: true })
    const message = makeMessage({ text: 'still here' })
    await update(() => fake.stores.messages.set([message]))
    fake.client.remove.mockRejectedValueOnce(new ChatError('timeout', 'delete_message: no answer'))
    await userEvent.setup({ advanceTimers: vi.advanceTimersByTime }).click(inRow(root, message).getByRole('button', { name: 'Delete' }))
    await act(() => void vi.advanceTimersByTime(UNDO_MS + 10))
    await update(() => {})
    expect(ui.getByRole('alert').textContent).toBe('Not connected. Try again when the connection is back.')
    expect(row(root, message).textContent).toContain('still here')
  })

  test('the Edit and Delete buttons sit beside the time, out of the flow, so hiding them leaves no gap', () => {
    expect(WIDGET_CSS).toMatch(/\.meta\{position:relative\}/)
    expect(WIDGET_CSS).toMatch(/\.actions\{position:absolute;right:100%/)
  })

  test('deleting the message being edited ends the edit', async () => {
    const { root, ui, fake } = mount({ open: true })
    const message = makeMessage({ text: 'x' })
    await update(() => fake.stores.messages.set([message]))
    const user = userEvent.setup()
    await user.click(inRow(root, message).getByRole('button', { name: 'Edit' }))
    await user.click(inRow(root, message).getByRole('button', { name: 'Delete' }))
    expect(ui.queryByText('Editing message')).toBeNull()
  })
})
