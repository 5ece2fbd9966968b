// @vitest-environment happy-dom
import userEvent from '@testing-library/user-event'
import { describe, expect, test, vi } from 'vitest'
import { ChatError, type Author, type Conversation } from '../../src/index'
import { makeMessage, presence } from '../widget/fake-client'
import { conversation, settle, signedIn, start, visitorAuthor, type Started } from './harness'

const SARI_USER: Author = { id: 'a-sari', role: 'agent', name: 'Sari' }
const BUDI_USER: Author = { id: 'a-budi', role: 'agent', name: 'Budi' }

async function inbox(path = '/inbox/', connected = true): Promise<Started> {
  const started = await start(signedIn(), path)
  await settle(() => {
    started.fake.stores.user.set(SARI_USER)
    if (connected) started.fake.stores.status.set('connected')
  })
  return started
}

describe('conversation list', () => {
  test('10,000 conversations: every one counted, only a screenful in the DOM', async () => {
    const started = await inbox()
    const many = Array.from({ length: 10_000 }, (_, i) => conversation(`room${i}`))
    await settle(() => started.fake.stores.conversations.set(many))
    const options = started.ui.getAllByRole('option')
    expect(options.length).toBeGreaterThan(5)
    expect(options.length).toBeLessThan(40)
    expect(options[0]!.getAttribute('aria-setsize')).toBe('10000')
    expect(options[0]!.getAttribute('aria-posinset')).toBe('1')
  })

  test('rows: name, online word, preview with the team member’s name, unread count; filters by status', async () => {
    const started = await inbox()
    const list: Conversation[] = [
      conversation('ani', { presence: presence(false), unread: { visitor: 0, agent: 3 } }),
      conversation('bayu', {
        status: 'pending',
        presence: { ...presence(false), visitorConnected: false },
        lastMessage: { seq: 2, author: BUDI_USER, text: 'On\nits way', createdAt: Date.UTC(2025, 2, 4, 9, 0) },
        unread: { visitor: 1, agent: 0 },
      }),
      conversation('citra', { status: 'closed', lastMessage: { seq: 3, author: visitorAuthor('v-citra'), text: '', deleted: true, createdAt: 1 } }),
    ]
    await settle(() => started.fake.stores.conversations.set(list))
    const ani = started.ui.getByRole('option', { name: /ANI/ })
    expect(ani.textContent).toContain('online')
    expect(ani.textContent).toContain('3 unread messages')
    expect(ani.textContent).toContain('hello from ani')
    expect(started.ui.queryByRole('option', { name: /BAYU/ })).toBeNull()
    const user = userEvent.setup()
    await user.click(started.ui.getByRole('button', { name: 'Pending' }))
    const bayu = started.ui.getByRole('option', { name: /BAYU/ })
    expect(bayu.textContent).toContain('Budi: On its way')
    expect(bayu.textContent).toContain('away')
    expect(bayu.textContent).toContain('Tue') // yesterday-ish: 4 March 2025 was a Tuesday, "now" is 5 March
    await user.click(started.ui.getByRole('button', { name: 'All' }))
    expect(started.ui.getAllByRole('option')).toHaveLength(3)
    expect(started.ui.getByRole('option', { name: /CITRA/ }).textContent).toContain('Message deleted')
    await user.click(started.ui.getByRole('button', { name: 'Closed' }))
    expect(started.ui.getAllByRole('option')).toHaveLength(1)
  })

  test('an empty inbox and an empty filter say different things', async () => {
    const started = await inbox()
    started.ui.getByText(/No conversations yet/)
    await settle(() => started.fake.stores.conversations.set([conversation('ani', { status: 'closed' })]))
    started.ui.getByText(/Nothing here/)
  })
})

describe('notifications and the title', () => {
  test('a new conversation and a new visitor message chime and notify when the agent is not looking; never for the first list or a teammate', async () => {
    const started = await inbox('/inbox/', false)
    // The agent is in another window.
    vi.spyOn(document, 'hasFocus').mockReturnValue(false)
    started.desktop.state = 'granted'
    started.handle.services.preferences.set({ desktop: true })
    // As the core does: the list first, then "connected".
    await settle(() => started.fake.stores.conversations.set([conversation('ani')]))
    await settle(() => started.fake.stores.status.set('connected'))
    expect(started.chimes).toBe(0)
    const ani2 = conversation('ani', { lastSeq: 2, lastMessage: { seq: 2, author: visitorAuthor('v-ani'), text: 'still there?', createdAt: 2 }, unread: { visitor: 0, agent: 2 } })
    await settle(() => started.fake.stores.conversations.set([conversation('bayu'), ani2]))
    expect(started.chimes).toBe(1)
    expect(started.shown.map((n) => n.title).sort()).toEqual(['New conversation: BAYU', 'New message from ANI'])
    expect(started.shown.find((n) => n.tag === 'ani')?.body).toBe('still there?')
    expect(document.title).toBe('(3) Obrolan inbox')
    const teammate = conversation('bayu', { lastSeq: 2, lastMessage: { seq: 2, author: BUDI_USER, text: 'hi', createdAt: 3 } })
    await settle(() => started.fake.stores.conversations.set([teammate, ani2]))
    expect(started.chimes).toBe(1)
    // Looking at the inbox: the chime still sounds, no desktop notification.
    vi.spyOn(document, 'hasFocus').mockReturnValue(true)
    const ani3 = conversation('ani', { lastSeq: 3, lastMessage: { seq: 3, author: visitorAuthor('v-ani'), text: 'hello?', createdAt: 4 } })
    await settle(() => started.fake.stores.conversations.set([ani3, teammate]))
    expect(started.chimes).toBe(2)
    expect(started.shown).toHaveLength(2)
    // Clicking a notification opens its conversation.
    await settle(() => started.shown.find((n) => n.tag === 'ani')!.onClick())
    expect(new URLSearchParams(location.search).get('c')).toBe('ani')
  })

  test('sound and desktop notifications can be switched off, and stay off', async () => {
    const started = await inbox()
    started.desktop.state = 'granted'
    const user = userEvent.setup()
    await user.click(started.ui.getByRole('button', { name: 'Settings' }))
    await user.click(started.ui.getByLabelText(/Play a sound/))
    expect(JSON.parse(localStorage.getItem('obrolan-inbox:preferences')!)).toMatchObject({ sound: false })
    await settle(() => started.fake.stores.conversations.set([conversation('ani')]))
    expect(started.ui.getByRole('option', { name: /ANI/ })).toBeTruthy()
    await settle(() => started.fake.stores.conversations.set([conversation('ani'), conversation('bayu')]))
    expect(started.chimes).toBe(0)
    expect(started.shown).toEqual([])
  })

  test('desktop notifications: permission is asked only when the agent turns them on', async () => {
    const started = await inbox()
    const user = userEvent.setup()
    expect(started.desktop.state).toBe('default')
    await user.click(started.ui.getByRole('button', { name: 'Settings' }))
    await user.click(started.ui.getByLabelText('Show desktop notifications'))
    await settle()
    expect(started.desktop.state).toBe('granted')
    expect((started.ui.getByLabelText('Show desktop notifications') as HTMLInputElement).checked).toBe(true)
  })

  test('a browser that blocks notifications is told in words', async () => {
    const started = await inbox()
    started.desktop.state = 'denied'
    const user = userEvent.setup()
    await user.click(started.ui.getByRole('button', { name: 'Settings' }))
    await user.click(started.ui.getByLabelText('Show desktop notifications'))
    await settle()
    started.ui.getByText(/blocks notifications/)
    expect((started.ui.getByLabelText('Show desktop notifications') as HTMLInputElement).checked).toBe(false)
  })
})

describe('the open conversation', () => {
  async function opened(): Promise<Started> {
    const started = await inbox('/inbox/?c=ani')
    await settle(() => started.fake.stores.conversations.set([conversation('ani', { visitor: visitorAuthor('v-ani', 'Ani') })]))
    return started
  }

  test('opens the room the URL names; names, day separators, line breaks and links', async () => {
    const started = await opened()
    expect(started.fake.client.openConversation).toHaveBeenCalledWith('ani')
    const yesterday = Date.UTC(2025, 2, 4, 9, 0)
    const today = Date.UTC(2025, 2, 5, 9, 0)
    await settle(() =>
      started.fake.stores.messages.set([
        makeMessage({ own: false, author: visitorAuthor('v-ani'), text: 'line one\nline two https://example.com/a.', createdAt: yesterday }),
        makeMessage({ own: false, author: BUDI_USER, text: 'from Budi', createdAt: today, status: 'read' }),
        makeMessage({ own: true, author: SARI_USER, text: 'from me', createdAt: today + 1000, status: 'delivered' }),
      ]),
    )
    const log = started.ui.getByRole('log')
    expect([...log.querySelectorAll('.day')].map((d) => d.textContent)).toEqual(['Yesterday', 'Today'])
    expect([...log.querySelectorAll('.author')].map((a) => a.textContent)).toEqual(['Ani', 'Budi', 'You'])
    const link = log.querySelector('a')!
    expect(link.getAttribute('href')).toBe('https://example.com/a')
    expect(link.getAttribute('rel')).toBe('noopener noreferrer')
    expect(log.querySelector('.row.visitor .bubble')!.textContent).toContain('line one\nline two')
    expect(log.querySelector('.row.team .ticks')!.getAttribute('aria-label')).toBe('Read')
    expect(log.querySelector('.row.own .ticks')!.getAttribute('aria-label')).toBe('Delivered')
    expect(log.querySelector('.row.visitor .ticks')).toBeNull()
  })

  test('who is typing, teammates here, and replies waiting while the connection is down', async () => {
    const started = await opened()
    await settle(() => {
      started.fake.stores.typing.set([BUDI_USER, visitorAuthor('v-ani', 'Ani')])
      started.fake.stores.presence.set({ ...presence(true), users: { 'a-budi': { userId: 'a-budi', role: 'agent', name: 'Budi', joinedAt: 1 }, 'a-sari': { userId: 'a-sari', role: 'agent', name: 'Sari', joinedAt: 1 } } })
      started.fake.stores.conversation.set(conversation('ani', { visitor: visitorAuthor('v-ani', 'Ani') }))
    })
    started.ui.getByText('Budi and Ani are typing…')
    started.ui.getByText('Also here: Budi')
    await settle(() => started.fake.stores.status.set('reconnecting'))
    const user = userEvent.setup()
    await user.type(started.ui.getByLabelText('Reply'), 'are you there?{Enter}')
    expect(started.fake.client.send).toHaveBeenCalledWith('are you there?')
    await settle()
    started.ui.getByText(/1 reply is waiting to be sent/)
    expect((started.ui.getByLabelText('Reply') as HTMLTextAreaElement).value).toBe('')
  })

  test('edit and delete of the agent’s own messages; Esc cancels an edit', async () => {
    const started = await opened()
    const mine = makeMessage({ own: true, author: SARI_USER, text: 'typo here' })
    await settle(() => started.fake.stores.messages.set([mine]))
    const user = userEvent.setup()
    await user.click(started.ui.getByRole('button', { name: 'Edit' }))
    const reply = started.ui.getByLabelText('Reply') as HTMLTextAreaElement
    expect(reply.value).toBe('typo here')
    await user.keyboard('{Escape}')
    expect(reply.value).toBe('')
    await user.click(started.ui.getByRole('button', { name: 'Edit' }))
    await user.clear(reply)
    await user.type(reply, 'fixed{Enter}')
    expect(started.fake.client.edit).toHaveBeenCalledWith(mine.id, 'fixed')
    await settle()
    started.ui.getByText('edited')
    await user.click(started.ui.getByRole('button', { name: 'Delete' }))
    await settle()
    started.ui.getByText('This message was deleted')
  })

  test('a refused status change is shown in words', async () => {
    const started = await opened()
    const user = userEvent.setup()
    await user.selectOptions(started.ui.getByLabelText('Status'), 'closed')
    await settle()
    expect(started.fake.client.setConversationStatus).toHaveBeenCalledWith('closed')
    started.ui.getByText('not used by the widget')
  })

  test('a room the list does not hold is asked for once connected; one the server does not have is said in words', async () => {
    const started = await inbox('/inbox/?c=gone', false)
    started.fake.client.openConversation.mockImplementation(async (roomId: string) => {
      throw new ChatError('not_found', `join_room: No conversation ${roomId}`)
    })
    await settle(() => started.fake.stores.conversations.set([conversation('ani')]))
    expect(started.fake.client.openConversation).not.toHaveBeenCalled()
    await settle(() => started.fake.stores.status.set('connected'))
    expect(started.fake.client.openConversation).toHaveBeenCalledWith('gone')
    started.ui.getByText('This conversation no longer exists on the server.')
  })
})
