// @vitest-environment happy-dom
/**
 * What a team shares in the inbox, in happy-dom on the client stand-in: the assignee filters and
 * paging, assignment, the visitor's details, canned replies (the `/` list and their page), message
 * search opening a conversation at the hit, and a conversation the server lost.
 */
import { waitFor } from '@testing-library/preact'
import userEvent from '@testing-library/user-event'
import { describe, expect, test } from 'vitest'
import { atom } from 'nanostores'
import type { Author, ChatMessage, Conversation, WireMessage } from '../../src/index'
import type { CannedReply } from '../../src/inbox/canned/slash'
import { makeMessage } from '../widget/fake-client'
import { conversation, ok, refused, settle, signedIn, start, visitorAuthor, SARI, type Routes, type Started } from './harness'

const SARI_USER: Author = { id: 'a-sari', role: 'agent', name: 'Sari' }
const BUDI = { id: 'a-budi', email: 'budi@example.com', name: 'Budi', role: 'agent' as const, createdAt: 1 }

async function inbox(path = '/inbox/', routes: Routes = {}): Promise<Started> {
  const started = await start({ ...signedIn(), 'GET /api/agents': ok({ agents: [SARI, BUDI] }), ...routes }, path)
  await settle(() => {
    started.fake.stores.user.set(SARI_USER)
    started.fake.stores.status.set('connected')
  })
  return started
}

describe('the list: assignee filters and paging', () => {
  test('Mine and Unassigned ask the server for those lists, beside the status filters; the old list is closed', async () => {
    const started = await inbox()
    const user = userEvent.setup()
    await settle(() =>
      started.fake.stores.conversations.set([
        conversation('ani', { assignee: SARI_USER }),
        conversation('bayu', { assignee: { id: 'a-budi', role: 'agent', name: 'Budi' } }),
        conversation('citra'),
      ]),
    )
    // The default: open conversations, anyone's; rows say whose they are.
    expect(started.fake.queries.at(-1)!.options).toEqual({ status: 'open' })
    expect(started.ui.getByRole('option', { name: /BAYU/ }).textContent).toContain('assigned to Budi')
    expect(started.ui.getByRole('option', { name: /ANI/ }).textContent).toContain('assigned to You')
    await user.click(started.ui.getByRole('button', { name: 'Mine' }))
    await settle()
    expect(started.fake.queries.at(-1)!.options).toEqual({ status: 'open', assignee: 'a-sari' })
    expect(started.fake.queries.at(-2)!.closed).toBe(true)
    expect(started.ui.getAllByRole('option').map((o: HTMLElement) => o.querySelector('.conv-name')!.textContent)).toEqual(['ANI'])
    await user.click(started.ui.getByRole('button', { name: 'Unassigned' }))
    expect(started.fake.queries.at(-1)!.options).toEqual({ status: 'open', assignee: null })
    expect(started.ui.getAllByRole('option').map((o: HTMLElement) => o.querySelector('.conv-name')!.textContent)).toEqual(['CITRA'])
    // All and anyone: the client's own list, no query.
    const asked = started.fake.queries.length
    await user.click(started.ui.getByRole('button', { name: 'Anyone' }))
    await user.click(started.ui.getByRole('button', { name: 'All' }))
    await settle()
    expect(started.fake.queries.length).toBe(asked + 1)
    expect(started.fake.queries.at(-1)!.closed).toBe(true)
    expect(started.ui.getAllByRole('option')).toHaveLength(3)
  })

  test('a list whose first page comes before the list is listened to is still drawn', async () => {
    const started = await inbox()
    // The server answers at once: between the render that asks for the list and the effect that listens.
    started.fake.client.queryConversations.mockImplementation((options) => {
      const conversations = atom<Conversation[]>([])
      const loaded = atom(false)
      queueMicrotask(() => {
        conversations.set([conversation('fast', { status: options.status ?? 'open' })])
        loaded.set(true)
      })
      return { conversations, hasMore: atom(false), loaded, loadMore: async () => 0, close() {} }
    })
    const user = userEvent.setup()
    await user.click(started.ui.getByRole('button', { name: 'Closed' }))
    await settle()
    expect(started.ui.queryByText('Loading conversations…')).toBeNull()
    started.ui.getByRole('option', { name: /FAST/ })
  })

  test('the next page is asked for when the end of what is loaded comes into view; the size is unknown until then', async () => {
    const started = await inbox()
    const user = userEvent.setup()
    await user.click(started.ui.getByRole('button', { name: 'All' }))
    await settle(() => {
      started.fake.stores.conversations.set(Array.from({ length: 200 }, (_, i) => conversation(`room${i}`)))
      started.fake.stores.conversationsHaveMore.set(true)
    })
    // 200 rows of 68 px: the end is far below a 900 px viewport.
    expect(started.fake.client.loadMoreConversations).not.toHaveBeenCalled()
    expect(started.ui.getAllByRole('option')[0]!.getAttribute('aria-setsize')).toBe('-1')
    started.ui.getByText('Loading more conversations…')
    const scroller = document.querySelector('.list-scroll')!
    scroller.scrollTop = 200 * 68 - 900
    await settle(() => scroller.dispatchEvent(new Event('scroll')))
    expect(started.fake.client.loadMoreConversations).toHaveBeenCalledTimes(1)
    await settle(() => {
      started.fake.stores.conversations.set(Array.from({ length: 250 }, (_, i) => conversation(`room${i}`)))
      started.fake.stores.conversationsHaveMore.set(false)
    })
    expect(started.ui.getAllByRole('option')[0]!.getAttribute('aria-setsize')).toBe('250')
    expect(started.ui.queryByText('Loading more conversations…')).toBeNull()
  })
})

describe('the open conversation: assignment and details', () => {
  const ani = conversation('ani', {
    visitor: visitorAuthor('v-ani', 'Ani'),
    context: {
      page: { url: 'https://toko.example/keranjang', title: 'Keranjang', at: Date.UTC(2025, 2, 5, 11, 58) },
      pages: [
        { url: 'https://toko.example/', title: 'Toko', at: Date.UTC(2025, 2, 5, 11, 50) },
        { url: 'https://toko.example/keranjang', title: 'Keranjang', at: Date.UTC(2025, 2, 5, 11, 58) },
      ],
      referrer: 'https://search.example/?q=kopi',
      locale: 'id-ID',
      timeZone: 'Asia/Jakarta',
      userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
      firstSeenAt: Date.UTC(2025, 0, 2),
      visits: 3,
    },
  })

  test('assigns to me, to a teammate, to nobody; a refusal is said in words', async () => {
    const started = await inbox('/inbox/?c=ani')
    await settle(() => started.fake.stores.conversations.set([ani]))
    const select = started.ui.getByLabelText('Assignee') as HTMLSelectElement
    expect([...select.options].map((o) => o.textContent)).toEqual(['Nobody', 'Sari (you)', 'Budi'])
    const user = userEvent.setup()
    started.fake.client.assignConversation.mockImplementation(async () => conversation('ani'))
    await user.selectOptions(select, 'a-budi')
    expect(started.fake.client.assignConversation).toHaveBeenLastCalledWith('ani', 'a-budi')
    await settle(() => started.fake.stores.conversations.set([{ ...ani, assignee: { id: 'a-budi', role: 'agent', name: 'Budi' } }]))
    expect(select.value).toBe('a-budi')
    await user.selectOptions(select, '')
    expect(started.fake.client.assignConversation).toHaveBeenLastCalledWith('ani', null)
    started.fake.client.assignConversation.mockRejectedValueOnce(new Error('assign_conversation: No agent a-sari'))
    await user.selectOptions(select, 'a-sari')
    await settle()
    started.ui.getByText('assign_conversation: No agent a-sari')
  })

  test('the details: the page now and this visit’s pages as links, where from, browser, language, local time, first seen, visits', async () => {
    const started = await inbox('/inbox/?c=ani')
    await settle(() => started.fake.stores.conversations.set([ani]))
    const details = started.ui.getByRole('complementary', { name: 'Visitor details' })
    const facts = Object.fromEntries([...details.querySelectorAll('dl > div')].map((row) => [row.querySelector('dt')!.textContent, row.querySelector('dd')!]))
    expect(facts['Now on']!.querySelector('a')!.getAttribute('href')).toBe('https://toko.example/keranjang')
    expect(facts['Now on']!.querySelector('a')!.getAttribute('rel')).toBe('noopener noreferrer')
    expect([...facts['Pages this visit']!.querySelectorAll('li a')].map((a) => a.textContent)).toEqual(['Toko', 'Keranjang'])
    expect(facts['Came from']!.textContent).toBe('https://search.example/?q=kopi')
    expect(facts['Browser']!.textContent).toBe('Safari 17 on iOS 17.4')
    expect(facts['Language']!.textContent).toBe('Indonesian (Indonesia) (id-ID)')
    expect(facts['Local time']!.textContent).toBe('Wed 07:00 PM')
    expect(facts['Visits']!.textContent).toBe('3')
    expect(facts['First seen']!.textContent).toContain('2025')
    // On a narrow screen the panel opens from the header and closes with Esc, focus back on the button.
    const user = userEvent.setup()
    const toggle = started.ui.getByRole('button', { name: 'Visitor details' })
    await user.click(toggle)
    expect(toggle.getAttribute('aria-expanded')).toBe('true')
    expect(details.hasAttribute('data-open')).toBe(true)
    await user.keyboard('{Escape}')
    expect(details.hasAttribute('data-open')).toBe(false)
    expect(document.activeElement).toBe(toggle)
    // Esc closed the panel, not the conversation.
    expect(new URLSearchParams(location.search).get('c')).toBe('ani')
  })

  test('a conversation the server started over is said in words above the messages', async () => {
    const started = await inbox('/inbox/?c=ani')
    await settle(() => started.fake.stores.conversations.set([ani]))
    await settle(() => started.fake.stores.conversationLost.set({ roomId: 'ani', reason: 'restarted', at: 1 }))
    started.ui.getByText(/The server started this conversation over/)
  })
})

describe('canned replies', () => {
  const replies: CannedReply[] = [
    { id: 'r1', name: 'thanks', text: 'Thank you for waiting!', updatedAt: 1 },
    { id: 'r2', name: 'hours', text: 'We are open 9 to 5.', updatedAt: 1 },
    { id: 'r3', name: 'hello', text: 'Hello! How can I help?', updatedAt: 1 },
  ]

  test('/ offers the team’s replies by name; arrows choose, Enter inserts, Esc closes without leaving the conversation', async () => {
    const started = await inbox('/inbox/?c=ani', { 'GET /api/canned-replies': ok({ replies }) })
    await settle(() => started.fake.stores.conversations.set([conversation('ani')]))
    const user = userEvent.setup()
    const reply = started.ui.getByLabelText('Reply') as HTMLTextAreaElement
    await user.type(reply, 'Hi! /h')
    await settle()
    const listbox = started.ui.getByRole('listbox', { name: 'Canned replies' })
    expect([...listbox.querySelectorAll('[role=option]')].map((o) => o.querySelector('.canned-name')!.textContent)).toEqual(['/hello', '/hours', '/thanks'])
    expect(reply.getAttribute('aria-controls')).toBe('canned-popup')
    expect(reply.getAttribute('aria-activedescendant')).toBe('canned-option-0')
    started.ui.getByText('3 canned replies. Up and down choose, Enter inserts, Esc closes.')
    await user.keyboard('{ArrowDown}')
    expect(reply.getAttribute('aria-activedescendant')).toBe('canned-option-1')
    expect(listbox.querySelector('[aria-selected=true]')!.textContent).toContain('/hours')
    await user.keyboard('{Enter}')
    expect(reply.value).toBe('Hi! We are open 9 to 5.')
    expect(started.fake.client.send).not.toHaveBeenCalled()
    expect(started.ui.queryByRole('listbox', { name: 'Canned replies' })).toBeNull()
    // Narrowed by typing; Esc closes the list and stays in the conversation.
    await user.type(reply, ' /tha')
    expect(started.ui.getAllByRole('option', { name: /thanks/ })).toHaveLength(1)
    await user.keyboard('{Escape}')
    expect(started.ui.queryByRole('listbox', { name: 'Canned replies' })).toBeNull()
    expect(new URLSearchParams(location.search).get('c')).toBe('ani')
    // Enter now sends what is written.
    await user.keyboard('{Enter}')
    expect(started.fake.client.send).toHaveBeenCalledWith('Hi! We are open 9 to 5. /tha')
    expect(started.calls.filter((c) => c.path === '/api/canned-replies').length).toBeGreaterThanOrEqual(2)
  })

  test('the page: list, add, edit (a renamed reply replaces the old name), delete after confirming; refusals in words', async () => {
    let held = replies.slice()
    const started = await inbox('/inbox/?view=replies', {
      'GET /api/canned-replies': () => ok({ replies: held }),
      'POST /api/canned-replies': (body) => {
        if (String(body!.name).includes(' ')) return refused(400, 'name must be 1 to 32 lower-case letters, digits, "-" or "_" (it is typed after /)')
        const reply = { id: `new-${String(body!.name)}`, name: String(body!.name), text: String(body!.text), updatedAt: 2 }
        held = [...held.filter((r) => r.name !== reply.name), reply]
        return ok({ reply })
      },
      'DELETE /api/canned-replies/r2': () => {
        held = held.filter((r) => r.id !== 'r2')
        return ok({})
      },
      'DELETE /api/canned-replies/r1': () => {
        held = held.filter((r) => r.id !== 'r1')
        return ok({})
      },
    })
    // The page is a chunk of its own: it comes, then asks for the replies.
    await waitFor(() => started.ui.getByLabelText('Name (typed after /)'))
    await settle()
    const list = () => [...document.querySelectorAll('.canned-item .canned-name')].map((n) => n.textContent)
    expect(list()).toEqual(['/hello', '/hours', '/thanks'])
    const user = userEvent.setup()
    await user.type(started.ui.getByLabelText('Name (typed after /)'), 'refund')
    await user.type(started.ui.getByLabelText('Text'), 'Refunds take 3 days.')
    await user.click(started.ui.getByRole('button', { name: 'Save reply' }))
    await settle()
    expect(list()).toEqual(['/hello', '/hours', '/refund', '/thanks'])
    started.ui.getByText('Saved /refund.')
    // Edit /hours under a new name: saved as /opening, /hours deleted.
    await user.click(started.ui.getByRole('button', { name: 'Edit /hours' }))
    const name = started.ui.getByLabelText('Name (typed after /)') as HTMLInputElement
    expect(name.value).toBe('hours')
    await user.clear(name)
    await user.type(name, 'opening')
    await user.click(started.ui.getByRole('button', { name: 'Save reply' }))
    await settle()
    expect(list()).toEqual(['/hello', '/opening', '/refund', '/thanks'])
    expect(started.calls.some((c) => c.method === 'DELETE' && c.path === '/api/canned-replies/r2')).toBe(true)
    await user.click(started.ui.getByRole('button', { name: 'Delete /thanks' }))
    started.ui.getByText('Delete /thanks?')
    await user.click(started.ui.getByRole('button', { name: 'Delete' }))
    await settle()
    expect(list()).toEqual(['/hello', '/opening', '/refund'])
    await user.type(name, 'Bad Name')
    await user.type(started.ui.getByLabelText('Text'), 'x')
    await user.click(started.ui.getByRole('button', { name: 'Save reply' }))
    await settle()
    started.ui.getByText(/name must be 1 to 32 lower-case letters/)
  })
})

describe('message search', () => {
  const hit = (roomId: string, seq: number, text: string, author: Author = visitorAuthor(`v-${roomId}`)): WireMessage => ({
    id: `m-${roomId}-${seq}`,
    clientId: `c-${roomId}-${seq}`,
    roomId,
    seq,
    author,
    text,
    createdAt: Date.UTC(2025, 2, 5, 9, seq),
  })

  test('searches as the agent types, shows each hit with its conversation, and opens the conversation at the hit', async () => {
    const started = await inbox()
    await settle(() => started.fake.stores.conversations.set([conversation('ani', { visitor: visitorAuthor('v-ani', 'Ani') })]))
    const hits = [hit('ani', 40, 'Where is my parcel?'), hit('bayu', 3, 'Parcels arrive broken', { id: 'a-budi', role: 'agent', name: 'Budi' }), hit('bayu', 2, 'my parcel', visitorAuthor('v-bayu', 'Bayu'))]
    started.fake.client.searchMessages.mockResolvedValue(hits)
    const user = userEvent.setup()
    await user.type(started.ui.getByLabelText('Search messages'), 'parc{Enter}')
    await settle()
    expect(started.fake.client.searchMessages).toHaveBeenLastCalledWith('parc', { limit: 30 })
    started.ui.getByText('3 messages found')
    const buttons = started.ui.getAllByRole('button', { name: /in the conversation with/ })
    expect(buttons.map((b: HTMLElement) => b.querySelector('.sr-only')!.textContent)).toEqual([
      'Ani in the conversation with Ani: ',
      'Budi in the conversation with Bayu: ',
      'Bayu in the conversation with Bayu: ',
    ])
    expect([...buttons[0]!.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['parc'])
    // The filters give way to the results; the list comes back when the search is cleared.
    expect(started.ui.queryByRole('button', { name: 'Mine' })).toBeNull()

    // Ani's conversation holds seqs 50–60: older pages load until the hit (seq 40) is there.
    const ani = visitorAuthor('v-ani', 'Ani')
    const page = (from: number, to: number): ChatMessage[] =>
      Array.from({ length: to - from + 1 }, (_, i) => makeMessage({ own: false, author: ani, seq: from + i, id: `m-ani-${from + i}`, clientId: `c-ani-${from + i}`, text: from + i === 40 ? 'Where is my parcel?' : `message ${from + i}` }))
    started.fake.stores.messages.set(page(50, 60))
    started.fake.stores.hasOlder.set(true)
    started.fake.client.loadOlder.mockImplementation(async () => {
      const first = started.fake.stores.messages.get()[0]!.seq!
      const from = Math.max(1, first - 5)
      started.fake.stores.messages.set([...page(from, first - 1), ...started.fake.stores.messages.get()])
      started.fake.stores.hasOlder.set(from > 1)
      return first - from
    })
    started.fake.stores.conversation.set(conversation('ani', { visitor: ani }))
    await user.click(buttons[0]!)
    for (let i = 0; i < 6; i++) await settle()
    expect(new URLSearchParams(location.search).get('c')).toBe('ani')
    expect(started.fake.client.loadOlder).toHaveBeenCalledTimes(2)
    const target = document.querySelector('.row.is-target')!
    expect(target.textContent).toContain('Where is my parcel?')
    expect(document.activeElement).toBe(target)

    await user.click(started.ui.getByRole('button', { name: 'Clear search' }))
    started.ui.getByRole('button', { name: 'Mine' })
  })

  test('an empty search says so, Esc in the field clears it, and a refused search is said in words', async () => {
    const started = await inbox()
    const user = userEvent.setup()
    const field = started.ui.getByLabelText('Search messages')
    await user.type(field, 'zzz{Enter}')
    await settle()
    started.ui.getByText('No message has words starting with “zzz”.')
    await user.keyboard('{Escape}')
    expect((field as HTMLInputElement).value).toBe('')
    started.ui.getByRole('button', { name: 'Mine' })
    started.fake.client.searchMessages.mockRejectedValueOnce(new Error('search_messages: text: Invalid length'))
    await user.type(field, 'kopi{Enter}')
    await settle()
    started.ui.getByText('Something went wrong: search_messages: text: Invalid length')
  })
})
