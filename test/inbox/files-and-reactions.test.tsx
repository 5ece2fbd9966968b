// @vitest-environment happy-dom
/**
 * Files and reactions in the agent inbox, on the stand-in client: pictures and files read from the
 * server with the agent's cookie, the picture full size, sending files (button, paste, drop), and
 * reactions both ways. The Chromium suite runs it against the real server.
 */
import { fireEvent, within } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, test, vi } from 'vitest'
import type { Author } from '../../src/index'
import { makeMessage } from '../widget/fake-client'
import { conversation, settle, signedIn, start, visitorAuthor } from './harness'

const SARI_USER: Author = { id: 'a-sari', role: 'agent', name: 'Sari' }
const ANI = visitorAuthor('v-ani', 'Ani')

async function opened() {
  const started = await start(signedIn(), '/inbox/?c=ani')
  await settle(() => {
    started.fake.stores.user.set(SARI_USER)
    started.fake.stores.status.set('connected')
    started.fake.stores.conversations.set([conversation('ani', { visitor: ANI })])
  })
  return started
}

const rowOf = (clientId: string) => within(document.querySelector<HTMLElement>(`[data-client-id="${clientId}"]`)!)

describe('files in the inbox', () => {
  test('a visitor’s picture shows from the server at its reserved size and opens full size; a file is a download link', async () => {
    const started = await opened()
    const photo = makeMessage({ own: false, author: ANI, roomId: 'ani', text: '', attachment: { id: 'PPPPPPPPPPPPPPPPPPPPPP', name: 'struk.jpg', type: 'image/jpeg', size: 90_000, width: 1200, height: 900 } })
    const sheet = makeMessage({ own: false, author: ANI, roomId: 'ani', text: 'ini daftarnya', attachment: { id: 'SSSSSSSSSSSSSSSSSSSSSS', name: 'pesanan.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', size: 30_720 } })
    await settle(() => started.fake.stores.messages.set([photo, sheet]))
    const thumb = rowOf(photo.clientId).getByRole('button', { name: 'Open image: struk.jpg' })
    const image = thumb.querySelector('img')!
    expect(image.getAttribute('src')).toBe('http://chat.test/api/files/ani/PPPPPPPPPPPPPPPPPPPPPP')
    expect([image.getAttribute('width'), image.getAttribute('height')]).toEqual(['260', '195'])
    const link = rowOf(sheet.clientId).getByRole('link', { name: 'Download: pesanan.xlsx, Excel · 30 KB' })
    expect(link.getAttribute('href')).toBe('http://chat.test/api/files/ani/SSSSSSSSSSSSSSSSSSSSSS')
    expect(link.getAttribute('download')).toBe('pesanan.xlsx')
    rowOf(sheet.clientId).getByText('ini daftarnya')

    const user = userEvent.setup()
    await user.click(thumb)
    await settle()
    const viewer = started.ui.getByRole('dialog', { name: 'struk.jpg' })
    expect(within(viewer).getByRole('img', { name: 'struk.jpg' }).getAttribute('src')).toBe(image.getAttribute('src'))
    // Tab stays in the dialog: from Close (its last control) round to Download, and back.
    const close = within(viewer).getByRole('button', { name: 'Close image' })
    const download = within(viewer).getByRole('link', { name: 'Download' })
    expect(document.activeElement).toBe(close)
    fireEvent.keyDown(close, { key: 'Tab' })
    expect(document.activeElement).toBe(download)
    fireEvent.keyDown(download, { key: 'Tab', shiftKey: true })
    expect(document.activeElement).toBe(close)
    fireEvent.keyDown(viewer, { key: 'Escape' })
    await settle()
    expect(started.ui.queryByRole('dialog', { name: 'struk.jpg' })).toBeNull()
    // Esc closed the picture, focus is back on its thumbnail, and the conversation is still open.
    expect(document.activeElement).toBe(thumb)
    expect(started.ui.getByLabelText('Reply')).toBeTruthy()
  })

  test('the agent’s own file shows from this device while it goes up, with progress and Cancel', async () => {
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:local-picture')
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    const started = await opened()
    const going = makeMessage({ own: true, author: SARI_USER, roomId: 'ani', status: 'pending', id: undefined, text: '', progress: 0.7, attachment: { name: 'peta.png', type: 'image/png', size: 5000, width: 100, height: 50 } })
    await settle(() => started.fake.stores.messages.set([going]))
    await settle()
    expect(started.fake.client.readFile).toHaveBeenCalledWith(going)
    expect(rowOf(going.clientId).getByRole('button', { name: 'Open image: peta.png' }).querySelector('img')?.getAttribute('src')).toBe('blob:local-picture')
    expect((rowOf(going.clientId).getByRole('progressbar', { name: 'Uploading peta.png' }) as HTMLProgressElement).value).toBeCloseTo(0.7)
    await userEvent.setup().click(rowOf(going.clientId).getByRole('button', { name: 'Cancel' }))
    expect(started.fake.client.cancel).toHaveBeenCalledWith(going.clientId)
    // Offline, it says it waits for the connection instead of showing progress.
    await settle(() => started.fake.stores.messages.set([{ ...going, progress: undefined }]))
    rowOf(going.clientId).getByText('Waiting for the connection')
    expect(rowOf(going.clientId).queryByRole('progressbar')).toBeNull()
  })

  test('files go out from the button, a paste and a drop', async () => {
    const started = await opened()
    const input = document.querySelector<HTMLInputElement>('.reply input[type=file]')!
    const file = new File(['%PDF-1.4'], 'invoice.pdf', { type: 'application/pdf' })
    Object.defineProperty(input, 'files', { value: [file], configurable: true })
    fireEvent.change(input)
    const paste = new Event('paste', { bubbles: true, cancelable: true }) as Event & { clipboardData: unknown }
    paste.clipboardData = { types: ['Files'], files: [new File(['x'], 'shot.png', { type: 'image/png' })] }
    started.ui.getByLabelText('Reply').dispatchEvent(paste)
    const section = document.querySelector<HTMLElement>('section.conversation')!
    const over = new Event('dragover', { bubbles: true, cancelable: true }) as Event & { dataTransfer: unknown }
    over.dataTransfer = { types: ['Files'], files: [] }
    section.dispatchEvent(over)
    await settle()
    expect(document.querySelector('.drop')?.textContent).toBe('Drop files to send them to the visitor')
    const drop = new Event('drop', { bubbles: true, cancelable: true }) as Event & { dataTransfer: unknown }
    drop.dataTransfer = { types: ['Files'], files: [new File(['a,b'], 'list.csv', { type: 'text/csv' })] }
    section.dispatchEvent(drop)
    await settle()
    expect(started.fake.client.sendFile.mock.calls.map(([sent]) => (sent as File).name)).toEqual(['invoice.pdf', 'shot.png', 'list.csv'])
    expect(document.querySelector('.drop')).toBeNull()
  })

  test('a file without a caption is named by the file in the conversation list', async () => {
    const started = await opened()
    const photo = { id: 'PPPPPPPPPPPPPPPPPPPPPP', name: 'struk.jpg', type: 'image/jpeg', size: 90_000 }
    await settle(() =>
      started.fake.stores.conversations.set([
        conversation('ani', { visitor: ANI, lastMessage: { seq: 2, author: ANI, text: '', createdAt: 2, attachment: photo } }),
        conversation('bayu', { lastMessage: { seq: 2, author: SARI_USER, text: '', createdAt: 3, attachment: { ...photo, name: 'peta.png' } } }),
      ]),
    )
    const previews = [...document.querySelectorAll('.conv-preview')].map((line) => line.textContent)
    expect(previews.sort()).toEqual(['You: 📎 peta.png', '📎 struk.jpg'])
  })
})

describe('reactions in the inbox', () => {
  test('shows the visitor’s reactions on the agent’s reply and lets the agent react to the visitor', async () => {
    const started = await opened()
    const question = makeMessage({ own: false, author: ANI, roomId: 'ani', text: 'Ada yang 250 gram?' })
    const answer = makeMessage({ own: true, author: SARI_USER, roomId: 'ani', text: 'Ada, Kak', reactions: [{ emoji: '🙏', by: ['v-ani'] }] })
    await settle(() => started.fake.stores.messages.set([question, answer]))
    expect(rowOf(answer.clientId).getByRole('button', { name: '🙏 1' }).getAttribute('aria-pressed')).toBe('false')
    const user = userEvent.setup()
    await user.click(rowOf(question.clientId).getByRole('button', { name: 'Add a reaction' }))
    await settle()
    await user.click(rowOf(question.clientId).getByRole('button', { name: '👍' }))
    expect(started.fake.client.react).toHaveBeenCalledWith(question.id, '👍', true)
  })
})
