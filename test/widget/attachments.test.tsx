// @vitest-environment happy-dom
/**
 * Files and reactions in the widget, on a stand-in client: choosing, pasting and dropping files,
 * what a file looks like while it goes up and once it is there, the picture at full size, saving
 * a file, and reactions under bubbles. What a person sees is checked in Chromium (test/browser).
 */
import { fireEvent, within } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { ChatError, type ChatMessage } from '../../src/index'
import { AGENT, makeMessage, VISITOR } from './fake-client'
import { mount, update } from './render'

const row = (root: ShadowRoot, message: ChatMessage) => within(root.querySelector<HTMLElement>(`[data-client-id="${message.clientId}"]`)!)
const pdf = () => new File(['%PDF-1.4 tiny'], 'nota.pdf', { type: 'application/pdf' })
const png = () => new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'foto.png', { type: 'image/png' })

/** A drag or drop event carrying files, as happy-dom has no DataTransfer of its own. */
function dragEvent(type: string, files: File[]) {
  const event = new Event(type, { bubbles: true, cancelable: true }) as Event & { dataTransfer: unknown }
  event.dataTransfer = { types: ['Files'], files }
  return event
}

afterEach(() => vi.unstubAllGlobals())

describe('choosing files', () => {
  test('the button opens a picker limited to what the server takes, and each chosen file is sent', async () => {
    const { root, ui, fake } = mount({ open: true })
    const input = root.querySelector<HTMLInputElement>('input[type=file]')!
    expect(input.accept).toBe('image/png,image/jpeg,application/pdf,.png,.jpg,.jpeg,.pdf')
    expect(input.multiple).toBe(true)
    const click = vi.spyOn(input, 'click')
    await userEvent.setup().click(ui.getByRole('button', { name: 'Attach a file' }))
    expect(click).toHaveBeenCalled()
    const files = [pdf(), pdf()]
    Object.defineProperty(input, 'files', { value: files, configurable: true })
    fireEvent.change(input)
    await update(() => {})
    expect(fake.client.sendFile.mock.calls.map(([file]) => file)).toEqual(files)
  })

  test('a pasted file is sent; pasted text stays text', async () => {
    const { root, fake } = mount({ open: true })
    const textarea = root.querySelector('textarea')!
    const withFile = new Event('paste', { bubbles: true, cancelable: true }) as Event & { clipboardData: unknown }
    withFile.clipboardData = { types: ['Files'], files: [png()] }
    textarea.dispatchEvent(withFile)
    await update(() => {})
    expect(withFile.defaultPrevented).toBe(true)
    expect(fake.client.sendFile).toHaveBeenCalledTimes(1)
    const withText = new Event('paste', { bubbles: true, cancelable: true }) as Event & { clipboardData: unknown }
    withText.clipboardData = { types: ['text/plain'], files: [] }
    textarea.dispatchEvent(withText)
    expect(withText.defaultPrevented).toBe(false)
    expect(fake.client.sendFile).toHaveBeenCalledTimes(1)
  })

  test('files dragged over the panel are announced and sent when dropped', async () => {
    const { root, fake } = mount({ open: true })
    const panel = root.querySelector<HTMLElement>('.panel')!
    const over = dragEvent('dragover', [])
    panel.dispatchEvent(over)
    await update(() => {})
    expect(over.defaultPrevented).toBe(true)
    expect(root.querySelector('.drop')?.textContent).toBe('Drop files to send them')
    const files = [pdf(), png()]
    const drop = dragEvent('drop', files)
    panel.dispatchEvent(drop)
    await update(() => {})
    expect(drop.defaultPrevented).toBe(true)
    expect(root.querySelector('.drop')).toBeNull()
    expect(fake.client.sendFile.mock.calls.map(([file]) => (file as File).name)).toEqual(['nota.pdf', 'foto.png'])
  })

  test('a file the server will not take is refused at once, in words, and the others still go', async () => {
    const { root, ui, fake } = mount({ open: true })
    fake.client.sendFile.mockImplementationOnce(() => {
      throw new ChatError('too_large', 'big.pdf is 12 MB; the limit is 10 MB')
    })
    const drop = dragEvent('drop', [pdf(), pdf()])
    root.querySelector<HTMLElement>('.panel')!.dispatchEvent(drop)
    await update(() => {})
    expect(ui.getByRole('alert').textContent).toBe('big.pdf is 12 MB; the limit is 10 MB')
    expect(fake.client.sendFile).toHaveBeenCalledTimes(2)
  })

  test('with uploads off there is no button', async () => {
    const { ui, fake } = mount({ open: true })
    await update(() => fake.stores.features.set({ reactions: [] }))
    expect(ui.queryByRole('button', { name: 'Attach a file' })).toBeNull()
  })
})

describe('files in the conversation', () => {
  test('an unsent file shows its progress, or that it waits, and can be cancelled', async () => {
    const { root, fake } = mount({ open: true })
    const going = makeMessage({ status: 'pending', id: undefined, text: '', attachment: { name: 'nota.pdf', type: 'application/pdf', size: 1_258_291 }, progress: 0.4 })
    const waiting = makeMessage({ status: 'pending', id: undefined, text: '', attachment: { name: 'b.pdf', type: 'application/pdf', size: 10 } })
    await update(() => fake.stores.messages.set([going, waiting]))
    const bar = row(root, going).getByRole('progressbar', { name: 'Uploading nota.pdf' }) as HTMLProgressElement
    expect(bar.value).toBeCloseTo(0.4)
    expect(row(root, going).getByRole('button', { name: /nota\.pdf, PDF · 1\.2 MB/ })).toBeTruthy()
    expect(row(root, waiting).getByText('Waiting for the connection')).toBeTruthy()
    await userEvent.setup().click(row(root, going).getByRole('button', { name: 'Cancel' }))
    expect(fake.client.cancel).toHaveBeenCalledWith(going.clientId)
  })

  test('a picture keeps its shown size from the start, opens full size, and closes back to its thumbnail', async () => {
    const { root, ui, fake } = mount({ open: true })
    const photo = makeMessage({ own: false, text: 'our farm', attachment: { id: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'kebun.jpg', type: 'image/jpeg', size: 5000, width: 640, height: 480 } })
    await update(() => fake.stores.messages.set([photo]))
    const thumb = row(root, photo).getByRole('button', { name: 'Open image: kebun.jpg' })
    const canvas = thumb.querySelector('canvas')!
    expect([canvas.getAttribute('width'), canvas.getAttribute('height')]).toEqual(['220', '165'])
    expect(row(root, photo).getByText('our farm')).toBeTruthy()
    const user = userEvent.setup()
    await user.click(thumb)
    await update(() => {})
    const viewer = ui.getByRole('dialog', { name: 'kebun.jpg' })
    const close = within(viewer).getByRole('button', { name: 'Close image' })
    expect(root.activeElement).toBe(close)
    // Tab stays in the dialog: from Close (its last control) round to its first, and back.
    const controls = [...viewer.querySelectorAll('button')]
    fireEvent.keyDown(close, { key: 'Tab' })
    expect(root.activeElement).toBe(controls[0])
    fireEvent.keyDown(controls[0]!, { key: 'Tab', shiftKey: true })
    expect(root.activeElement).toBe(close)
    fireEvent.keyDown(viewer, { key: 'Escape' })
    await update(() => {})
    expect(ui.queryByRole('dialog', { name: 'kebun.jpg' })).toBeNull()
    // Esc closed the picture, not the chat.
    expect(root.querySelector('.panel')!.hasAttribute('hidden')).toBe(false)
    expect(root.activeElement).toBe(thumb)
  })

  test('a file is a chip with its name, kind and size, and saves what the client reads', async () => {
    const created = vi.fn(() => 'blob:saved')
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() }))
    const clicks: string[] = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(`${this.download} ${this.href}`)
    })
    const { root, fake } = mount({ open: true })
    const file = makeMessage({ text: '', attachment: { id: 'BBBBBBBBBBBBBBBBBBBBBB', name: 'Laporan April.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', size: 20480 } })
    await update(() => fake.stores.messages.set([file]))
    const chip = row(root, file).getByRole('button', { name: 'Download: Laporan April.xlsx, Excel · 20 KB' })
    expect(chip.textContent).toBe('Laporan April.xlsx Excel · 20 KB')
    // No empty bubble for a file without a caption; the author is still read out.
    expect(root.querySelector(`[data-client-id="${file.clientId}"] .bubble`)).toBeNull()
    expect(root.querySelector(`[data-client-id="${file.clientId}"] .sr-only`)?.textContent).toBe('You: ')
    await userEvent.setup().click(chip)
    await update(() => {})
    expect(fake.client.readFile).toHaveBeenCalledWith(file)
    expect(clicks).toEqual(['Laporan April.xlsx blob:saved'])
  })
})

describe('reactions', () => {
  test('show under the bubble with counts, the visitor’s own pressed; pressing takes it back', async () => {
    const { root, fake } = mount({ open: true })
    const message = makeMessage({ own: false, author: AGENT, reactions: [{ emoji: '👍', by: [VISITOR.id, 'a1'] }, { emoji: '❤️', by: ['a1'] }] })
    await update(() => fake.stores.messages.set([message]))
    const mine = row(root, message).getByRole('button', { name: '👍 2, including you' })
    const theirs = row(root, message).getByRole('button', { name: '❤️ 1' })
    expect(mine.getAttribute('aria-pressed')).toBe('true')
    expect(theirs.getAttribute('aria-pressed')).toBe('false')
    const user = userEvent.setup()
    await user.click(mine)
    await user.click(theirs)
    expect(fake.client.react.mock.calls).toEqual([
      [message.id, '👍', false],
      [message.id, '❤️', true],
    ])
  })

  test('the picker offers the server’s emoji, adds one, and closes on Esc without closing the chat', async () => {
    const { root, fake } = mount({ open: true })
    const message = makeMessage({ own: false, author: AGENT })
    const pending = makeMessage({ status: 'pending', id: undefined })
    const deleted = makeMessage({ deleted: true, text: '' })
    await update(() => fake.stores.messages.set([message, pending, deleted]))
    for (const m of [pending, deleted]) expect(row(root, m).queryByRole('button', { name: 'Add a reaction' })).toBeNull()
    const user = userEvent.setup()
    const open = row(root, message).getByRole('button', { name: 'Add a reaction' })
    await user.click(open)
    await update(() => {})
    const picker = row(root, message).getByRole('group', { name: 'Add a reaction' })
    expect(within(picker).getAllByRole('button').map((b) => b.textContent)).toEqual(['👍', '❤️', '😂'])
    expect(root.activeElement?.textContent).toBe('👍')
    await user.click(within(picker).getByRole('button', { name: '😂' }))
    expect(fake.client.react).toHaveBeenCalledWith(message.id, '😂', true)
    expect(row(root, message).queryByRole('group')).toBeNull()
    await user.click(open)
    fireEvent.keyDown(row(root, message).getByRole('group'), { key: 'Escape' })
    await update(() => {})
    expect(row(root, message).queryByRole('group')).toBeNull()
    expect(root.querySelector('.panel')!.hasAttribute('hidden')).toBe(false)
  })
})
