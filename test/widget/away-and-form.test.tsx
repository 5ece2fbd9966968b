// @vitest-environment happy-dom
/**
 * Away mode (when a reply can be expected, the e-mail prompt, optional or required), the pre-chat
 * form, and a conversation an agent closed, as the visitor meets them in the widget.
 */
import { fireEvent } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, test } from 'vitest'
import type { Conversation, SiteInfo } from '../../src/index'
import { makeMessage, presence, VISITOR } from './fake-client'
import { mount, update } from './render'

const away = (extra: Partial<SiteInfo> = {}): SiteInfo => ({ availability: { agentsOnline: false, withinHours: true }, awayEmail: 'optional', ...extra })

function conversation(extra: Partial<Conversation> = {}): Conversation {
  return {
    roomId: 'r1',
    visitor: VISITOR,
    status: 'open',
    lastSeq: 0,
    lastChangeSeq: 0,
    watermarks: { visitor: { delivered: 0, read: 0 }, agent: { delivered: 0, read: 0 } },
    unread: { visitor: 0, agent: 0 },
    presence: presence(false),
    createdAt: 0,
    updatedAt: 0,
    ...extra,
  }
}

const textarea = (root: ShadowRoot) => root.querySelector('textarea')!
const type = (element: HTMLInputElement | HTMLTextAreaElement, value: string) => fireEvent.input(element, { target: { value } })

describe('away', () => {
  test('says when a reply can be expected, and asks for an e-mail address, optional', async () => {
    const { ui, root, fake } = mount({ open: true })
    await update(() => fake.stores.site.set(away()))
    expect(ui.getByRole('note').textContent).toContain('No one is online right now. Leave a message and we’ll reply as soon as we can.')
    expect(ui.getByLabelText(/Get the reply by e-mail too/)).toBeTruthy()
    // Optional: messages go without it.
    type(textarea(root), 'Halo')
    await userEvent.setup().click(ui.getByRole('button', { name: 'Send' }))
    expect(fake.client.send).toHaveBeenCalledWith('Halo')
    // A bad address is refused with a reason; a good one is told to the team and shown.
    const email = ui.getByLabelText(/Get the reply by e-mail too/) as HTMLInputElement
    type(email, 'ani at toko')
    await userEvent.setup().click(ui.getByRole('button', { name: 'Save' }))
    expect(ui.getByText('That is not an e-mail address.')).toBeTruthy()
    expect(fake.client.setContact).not.toHaveBeenCalled()
    type(email, ' ani@toko.example ')
    await userEvent.setup().click(ui.getByRole('button', { name: 'Save' }))
    expect(fake.client.setContact).toHaveBeenCalledWith({ email: 'ani@toko.example' })
    await update(() => {})
    expect(ui.getByText(/We’ll also reply to ani@toko.example./)).toBeTruthy()
  })

  test('outside business hours says when the team is back, in the visitor’s language and time', async () => {
    const { ui, fake } = mount({ open: true, locale: 'id' })
    const opensAt = Date.UTC(2030, 0, 7, 2, 0) // a Monday
    await update(() => fake.stores.site.set(away({ availability: { agentsOnline: true, withinHours: false, opensAt }, awayEmail: 'off' })))
    const expected = new Intl.DateTimeFormat('id', { weekday: 'long', hour: '2-digit', minute: '2-digit' }).format(opensAt)
    expect(ui.getByRole('note').textContent).toBe(`Kami kembali ${expected}. Tinggalkan pesan, kami akan membalas saat itu.`)
    expect(ui.queryByRole('textbox', { name: /e-mail/i })).toBeNull()
  })

  test('with the address required, the message waits for it, then goes', async () => {
    const { ui, root, fake } = mount({ open: true })
    await update(() => fake.stores.site.set(away({ awayEmail: 'required' })))
    type(textarea(root), 'Ada yang bisa bantu?')
    await userEvent.setup().click(ui.getByRole('button', { name: 'Send' }))
    expect(fake.client.send).not.toHaveBeenCalled()
    expect(ui.getByRole('alert').textContent).toBe('Leave your e-mail address first, so we can reply.')
    expect(textarea(root).value).toBe('Ada yang bisa bantu?')
    type(ui.getByLabelText(/Leave your e-mail address so we can reply/) as HTMLInputElement, 'ani@toko.example')
    await userEvent.setup().click(ui.getByRole('button', { name: 'Save' }))
    await update(() => {})
    await userEvent.setup().click(ui.getByRole('button', { name: 'Send' }))
    expect(fake.client.send).toHaveBeenCalledWith('Ada yang bisa bantu?')
  })

  test('an identified visitor’s address counts, and nothing is asked while the team is online', async () => {
    const { ui, fake } = mount({ open: true })
    await update(() => {
      fake.stores.user.set({ ...VISITOR, email: 'ani@toko.example' })
      fake.stores.site.set(away({ awayEmail: 'required' }))
    })
    expect(ui.getByText(/We’ll also reply to ani@toko.example./)).toBeTruthy()
    await update(() => fake.stores.site.set(away({ availability: { agentsOnline: true, withinHours: true } })))
    expect(ui.queryByRole('note')).toBeNull()
  })
})

describe('the pre-chat form', () => {
  const form: SiteInfo['preChatForm'] = { name: 'required', email: 'optional', fields: [{ id: 'topic', label: 'Topic', required: true, options: ['Shipping', 'Returns'] }, { id: 'order', label: 'Order number', required: false }] }

  test('comes before the first message, checks the answers, tells them to the team and is not asked again', async () => {
    const { ui, root, fake, handle } = mount({ open: true })
    await update(() => {
      fake.stores.site.set(away({ availability: { agentsOnline: true, withinHours: true }, preChatForm: form }))
      fake.stores.conversation.set(conversation())
    })
    expect(ui.getByRole('heading', { name: 'Before we start' })).toBeTruthy()
    expect(textarea(root)).toBeNull()
    await userEvent.setup().click(ui.getByRole('button', { name: 'Start chat' }))
    expect(ui.getByText('Name is required.', { selector: '.field-error' })).toBeTruthy()
    expect(ui.getByText('Topic is required.', { selector: '.field-error' })).toBeTruthy()
    expect(fake.client.setContact).not.toHaveBeenCalled()

    type(ui.getByLabelText('Name') as HTMLInputElement, 'Ani')
    await update(() => {})
    expect([...root.querySelectorAll('.field-error')].map((e) => e.textContent)).toEqual(['Topic is required.'])
    type(ui.getByLabelText(/E-mail/) as HTMLInputElement, 'nope')
    fireEvent.change(ui.getByLabelText('Topic'), { target: { value: 'Returns' } })
    await userEvent.setup().click(ui.getByRole('button', { name: 'Start chat' }))
    expect(ui.getByText('That is not an e-mail address.', { selector: '.field-error' })).toBeTruthy()
    type(ui.getByLabelText(/E-mail/) as HTMLInputElement, '')
    type(ui.getByLabelText(/Order number/) as HTMLInputElement, ' A-17 ')
    await userEvent.setup().click(ui.getByRole('button', { name: 'Start chat' }))
    expect(fake.client.setContact).toHaveBeenCalledWith({ name: 'Ani', fields: { topic: 'Returns', order: 'A-17' } })
    await update(() => {})
    expect(textarea(root)).not.toBeNull()
    expect(localStorage.getItem('obrolan:pre-chat')).toBe('1')
    // Another page of the same browser: not asked again.
    handle.destroy()
    const again = mount({ open: true })
    await update(() => {
      again.fake.stores.site.set(away({ availability: { agentsOnline: true, withinHours: true }, preChatForm: form }))
      again.fake.stores.conversation.set(conversation())
    })
    expect(again.ui.queryByRole('heading', { name: 'Before we start' })).toBeNull()
    localStorage.clear()
  })

  test('is not shown once a conversation has started, nor before the server has said', async () => {
    const { ui, fake } = mount({ open: true })
    await update(() => fake.stores.site.set(away({ preChatForm: form })))
    expect(ui.queryByRole('heading', { name: 'Before we start' })).toBeNull()
    await update(() => fake.stores.conversation.set(conversation({ createdAt: 5, lastSeq: 1 })))
    expect(ui.queryByRole('heading', { name: 'Before we start' })).toBeNull()
  })
})

describe('a closed conversation', () => {
  test('shows a closing line after the messages, and the composer says a new message opens it', async () => {
    const { ui, root, fake } = mount({ open: true, locale: 'id' })
    const message = makeMessage({ own: false, text: 'Terima kasih!' })
    await update(() => {
      fake.stores.messages.set([message])
      fake.stores.conversation.set(conversation({ status: 'closed', createdAt: 1, lastSeq: 1 }))
    })
    const log = ui.getByRole('log')
    expect(log.lastElementChild?.textContent).toBe('Obrolan ini telah ditutup.')
    expect(root.querySelector('.composer .hint')?.textContent).toBe('Ditutup. Pesan baru akan membukanya lagi.')
    await update(() => fake.stores.conversation.set(conversation({ status: 'open', createdAt: 1, lastSeq: 2 })))
    expect(ui.queryByText('Obrolan ini telah ditutup.')).toBeNull()
    expect(root.querySelector('.composer .hint')).toBeNull()
  })
})
