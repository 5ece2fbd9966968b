// @vitest-environment happy-dom
import { options, type VNode } from 'preact'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, test } from 'vitest'
import type { ChatMessage } from '../../src/index'
import { WIDGET_CSS } from '../../src/widget/styles'
import { MessageBubbleView } from '../../src/widget/MessageBubble'
import { AGENT, makeMessage } from './fake-client'
import { mount, update } from './render'

const row = (root: ShadowRoot, message: ChatMessage) => root.querySelector<HTMLElement>(`[data-client-id="${message.clientId}"]`)!

describe('bubbles', () => {
  test('own and other messages sit on different sides, with author, time and text', async () => {
    const { root, ui, fake } = mount({ open: true })
    const mine = makeMessage({ text: 'from me' })
    const theirs = makeMessage({ own: false, text: 'from the agent' })
    await update(() => fake.stores.messages.set([mine, theirs]))
    expect(row(root, mine).classList.contains('own')).toBe(true)
    expect(row(root, theirs).classList.contains('other')).toBe(true)
    expect(row(root, mine).querySelector('.bubble')!.textContent).toBe('You: from me')
    expect(row(root, theirs).querySelector('.bubble')!.textContent).toBe(`${AGENT.name}: from the agent`)
    const time = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit' }).format(mine.createdAt)
    expect(row(root, mine).querySelector('time')!.textContent).toBe(time)
    expect(row(root, mine).querySelector('time')!.getAttribute('datetime')).toBe(new Date(mine.createdAt).toISOString())
    expect(ui.getByRole('log', { name: 'Messages' }).getAttribute('aria-live')).toBe('polite')
  })

  test('the other side without a name is labelled by role', async () => {
    const { root, fake } = mount({ open: true })
    const theirs = makeMessage({ own: false, author: { id: 'a2', role: 'agent' }, text: 'hi' })
    await update(() => fake.stores.messages.set([theirs]))
    expect(row(root, theirs).querySelector('.bubble')!.textContent).toBe('Agent: hi')
  })

  test('edited messages carry an "edited" mark', async () => {
    const { root, fake } = mount({ open: true })
    const plain = makeMessage()
    const edited = makeMessage({ editedAt: Date.now() })
    await update(() => fake.stores.messages.set([plain, edited]))
    expect(row(root, edited).querySelector('.meta')!.textContent).toContain('edited')
    expect(row(root, plain).querySelector('.meta')!.textContent).not.toContain('edited')
  })

  test('deleted messages show a placeholder instead of their text, and no edit/delete buttons', async () => {
    const { root, fake } = mount({ open: true })
    const deleted = makeMessage({ text: '', deleted: true, editedAt: Date.now() })
    await update(() => fake.stores.messages.set([deleted]))
    expect(row(root, deleted).querySelector('.bubble')!.textContent).toBe('You: This message was deleted')
    expect(row(root, deleted).textContent).not.toContain('edited')
    expect(row(root, deleted).querySelector('.actions')).toBeNull()
  })

  test('message text keeps its line breaks as text', async () => {
    const { root, fake } = mount({ open: true })
    const message = makeMessage({ text: 'line one\nline two' })
    await update(() => fake.stores.messages.set([message]))
    expect(row(root, message).querySelector('.bubble')!.textContent).toBe('You: line one\nline two')
  })

  test('the greeting is the first bubble, on the agent side, and not a wire message', async () => {
    const { root, ui, fake } = mount({ open: true, greeting: 'Hi! Ask us anything: https://help.example.com' })
    const message = makeMessage({ text: 'hello' })
    await update(() => fake.stores.messages.set([message]))
    const rows = root.querySelectorAll('.log .row')
    expect(rows).toHaveLength(2)
    expect(rows[0]!.classList.contains('other')).toBe(true)
    expect(rows[0]!.textContent).toBe('Agent: Hi! Ask us anything: https://help.example.com')
    expect(rows[0]!.querySelector('time, .ticks')).toBeNull()
    expect(ui.getByRole('link', { name: 'https://help.example.com' })).toBeTruthy()
    expect(fake.client.send).not.toHaveBeenCalled()
  })

  test('a conversation the server lost is said above what is left, and nothing is said otherwise', async () => {
    const { root, fake } = mount({ open: true })
    await update(() => fake.stores.messages.set([makeMessage({ text: 'sent again' })]))
    expect(root.querySelector('.notice')).toBeNull()
    await update(() => fake.stores.conversationLost.set({ roomId: 'r1', reason: 'restarted', at: 1 }))
    const notice = root.querySelector('.log .notice')!
    expect(notice.textContent).toBe('Earlier messages are no longer available. Anything unsent has been sent again.')
    expect(notice.nextElementSibling?.getAttribute('data-client-id')).toBe(fake.stores.messages.get()[0]!.clientId)
  })

  test('without a greeting option there is no greeting bubble', () => {
    const { root } = mount({ open: true })
    expect(root.querySelectorAll('.log .row')).toHaveLength(0)
  })
})

describe('ticks', () => {
  test.each([
    ['pending', 'Sending'],
    ['sent', 'Sent'],
    ['delivered', 'Delivered'],
    ['read', 'Read'],
  ] as const)('%s → "%s"', async (status, label) => {
    const { root, ui, fake } = mount({ open: true })
    const message = makeMessage({ status, ...(status === 'pending' ? { id: undefined, seq: undefined } : {}) })
    await update(() => fake.stores.messages.set([message]))
    const ticks = ui.getByRole('img', { name: label })
    expect(row(root, message).contains(ticks)).toBe(true)
    expect(ticks.getAttribute('data-status')).toBe(status)
    expect(ticks.querySelector('svg')).not.toBeNull()
    expect(root.querySelectorAll('.ticks')).toHaveLength(1)
  })

  test('one tick for sent, two for delivered and read; read is styled differently (blue)', async () => {
    const { root, fake } = mount({ open: true })
    const sent = makeMessage({ status: 'sent' })
    const delivered = makeMessage({ status: 'delivered' })
    const read = makeMessage({ status: 'read' })
    await update(() => fake.stores.messages.set([sent, delivered, read]))
    const path = (m: ChatMessage) => row(root, m).querySelector('.ticks path')!.getAttribute('d')!
    expect(path(sent).match(/M/g)).toHaveLength(1)
    expect(path(delivered).match(/M/g)).toHaveLength(2)
    expect(path(read)).toBe(path(delivered))
    // The source text: happy-dom's CSS parser rewrites shorthands, so cssRules is not a faithful copy.
    const css = WIDGET_CSS
    expect(css).toMatch(/\.ticks\[data-status="?read"?\]\s*\{[^}]*--obrolan-read/)
  })

  test('the other side’s messages have no ticks', async () => {
    const { root, fake } = mount({ open: true })
    await update(() => fake.stores.messages.set([makeMessage({ own: false, status: 'read' })]))
    expect(root.querySelector('.ticks')).toBeNull()
  })

  test('ticks are in Indonesian with locale id', async () => {
    const { ui, fake } = mount({ open: true, locale: 'id' })
    await update(() =>
      fake.stores.messages.set([makeMessage({ status: 'pending', id: undefined }), makeMessage({ status: 'delivered' }), makeMessage({ status: 'read' })]),
    )
    for (const label of ['Mengirim', 'Diterima', 'Dibaca']) expect(ui.getByRole('img', { name: label })).toBeTruthy()
  })
})

describe('failed messages', () => {
  const failed = () =>
    makeMessage({ status: 'failed', id: undefined, seq: undefined, text: 'too much', error: { code: 'too_long', message: 'That message is too long' } })

  test('show the reason, Retry and Discard, and no ticks or edit buttons', async () => {
    const { root, fake } = mount({ open: true })
    const message = failed()
    await update(() => fake.stores.messages.set([message]))
    const r = row(root, message)
    expect(r.textContent).toContain('That message is too long')
    expect(r.querySelector('.ticks')).toBeNull()
    expect(r.querySelector('.actions')).toBeNull()
  })

  test('Retry calls client.retry with the clientId', async () => {
    const { root, ui, fake } = mount({ open: true })
    const message = failed()
    await update(() => fake.stores.messages.set([message]))
    await userEvent.setup().click(ui.getByRole('button', { name: 'Retry' }))
    expect(fake.client.retry).toHaveBeenCalledWith(message.clientId)
    expect(fake.client.discard).not.toHaveBeenCalled()
    expect(row(root, message)).not.toBeNull()
  })

  test('Discard calls client.discard with the clientId', async () => {
    const { ui, fake } = mount({ open: true })
    const message = failed()
    await update(() => fake.stores.messages.set([message]))
    await userEvent.setup().click(ui.getByRole('button', { name: 'Discard' }))
    expect(fake.client.discard).toHaveBeenCalledWith(message.clientId)
    expect(fake.client.retry).not.toHaveBeenCalled()
  })

  test('a failed message without a reason says "Not sent"', async () => {
    const { root, fake } = mount({ open: true })
    const message = makeMessage({ status: 'failed', id: undefined })
    await update(() => fake.stores.messages.set([message]))
    expect(row(root, message).querySelector('.failed-reason')!.textContent).toBe('Not sent')
  })

  test('a retry that throws shows the error in the alert region', async () => {
    const { ui, fake } = mount({ open: true })
    fake.client.retry.mockImplementation(() => {
      throw new Error('Cannot retry now')
    })
    await update(() => fake.stores.messages.set([failed()]))
    await userEvent.setup().click(ui.getByRole('button', { name: 'Retry' }))
    expect((await ui.findByRole('alert')).textContent).toBe('Cannot retry now')
  })
})

describe('typing dots', () => {
  test('appear while someone types and disappear when the list empties', async () => {
    const { ui, fake, root } = mount({ open: true })
    expect(root.querySelector('.typing')).toBeNull()
    expect(ui.queryByText('Agent is typing…')).toBeNull()
    await update(() => fake.stores.typing.set([AGENT]))
    expect(root.querySelector('.typing')!).toBeTruthy()
    expect(ui.getByText('Agent is typing…').classList.contains('sr-only')).toBe(true)
    expect(root.querySelector('.typing')!.querySelector('.dots')!.getAttribute('aria-hidden')).toBe('true')
    await update(() => fake.stores.typing.set([]))
    expect(root.querySelector('.typing')).toBeNull()
  })
})

describe('links and injection', () => {
  test('http, https and mailto become safe links; other schemes stay text', async () => {
    const { root, ui, fake } = mount({ open: true })
    const message = makeMessage({ own: false, text: 'a http://a.io b https://b.io/x. c mailto:me@c.io d javascript:alert(1) e data:text/html,x f ftp://f.io' })
    await update(() => fake.stores.messages.set([message]))
    const anchors = [...row(root, message).querySelectorAll('a')]
    expect(anchors.map((a) => a.getAttribute('href'))).toEqual(['http://a.io', 'https://b.io/x', 'mailto:me@c.io'])
    for (const a of anchors) {
      expect(a.getAttribute('target')).toBe('_blank')
      expect(a.getAttribute('rel')).toBe('noopener noreferrer')
    }
    expect(ui.getByRole('link', { name: 'https://b.io/x' })).toBeTruthy()
    expect(row(root, message).querySelector('.bubble')!.textContent).toContain('javascript:alert(1) e data:text/html,x f ftp://f.io')
  })

  test('HTML in a message is shown as text, never parsed', async () => {
    const { root, fake } = mount({ open: true, greeting: '<b>bold?</b>' })
    const evil = '<img src=x onerror=alert(1)><script>alert(2)</script><a href="javascript:alert(3)">x</a>'
    const mine = makeMessage({ text: evil })
    const theirs = makeMessage({ own: false, text: evil, author: { id: 'a1', role: 'agent', name: '<i>Eve</i>' } })
    const failed = makeMessage({ status: 'failed', id: undefined, error: { code: 'bad_request', message: '<img src=y onerror=alert(4)>' } })
    await update(() => fake.stores.messages.set([mine, theirs, failed]))
    expect(root.querySelectorAll('img, script, b, i, iframe, [onerror]')).toHaveLength(0)
    expect(root.querySelectorAll('a')).toHaveLength(0)
    expect(row(root, mine).querySelector('.bubble')!.textContent).toBe(`You: ${evil}`)
    expect(row(root, theirs).querySelector('.bubble')!.textContent).toBe(`<i>Eve</i>: ${evil}`)
    expect(row(root, failed).textContent).toContain('<img src=y onerror=alert(4)>')
    expect(root.querySelector('.greeting')!.textContent).toContain('<b>bold?</b>')
  })
})

describe('rendering cost', () => {
  let renders: ChatMessage[] = []
  const previous = options.diffed
  afterEach(() => {
    options.diffed = previous
    renders = []
  })

  test('appending a message renders only the new bubble, and a status change only that bubble', async () => {
    options.diffed = (vnode: VNode) => {
      if (vnode.type === MessageBubbleView) renders.push((vnode.props as unknown as { message: ChatMessage }).message)
      previous?.(vnode)
    }
    const { root, fake } = mount({ open: true })
    const first = makeMessage()
    const second = makeMessage()
    await update(() => fake.stores.messages.set([first, second]))
    expect(renders).toEqual([first, second])
    renders = []

    const third = makeMessage()
    await update(() => fake.stores.messages.set([first, second, third]))
    expect(renders).toEqual([third])
    renders = []

    const secondRead = { ...second, status: 'read' as const }
    await update(() => fake.stores.messages.set([first, secondRead, third]))
    expect(renders).toEqual([secondRead])
    expect(row(root, second).querySelector('.ticks')!.getAttribute('aria-label')).toBe('Read')
  })

  test('reading other people’s messages re-renders none of them (they show no ticks)', async () => {
    options.diffed = (vnode: VNode) => {
      if (vnode.type === MessageBubbleView) renders.push((vnode.props as unknown as { message: ChatMessage }).message)
      previous?.(vnode)
    }
    const { fake } = mount({ open: true })
    const theirs = Array.from({ length: 20 }, () => makeMessage({ own: false, status: 'delivered' }))
    await update(() => fake.stores.messages.set(theirs))
    renders = []
    await update(() => fake.stores.messages.set(theirs.map((m) => ({ ...m, status: 'read' as const }))))
    expect(renders).toEqual([])
    // A real change to one of them still shows.
    const edited = theirs.map((m, i) => ({ ...m, status: 'read' as const, ...(i === 3 ? { text: 'edited', editedAt: 5 } : {}) }))
    await update(() => fake.stores.messages.set(edited))
    expect(renders.map((m) => m.text)).toEqual(['edited'])
  })

  test('a bubble keeps its DOM node from the optimistic copy to the confirmed one (keyed by clientId)', async () => {
    const { root, fake } = mount({ open: true })
    const pending = makeMessage({ status: 'pending', id: undefined, seq: undefined })
    await update(() => fake.stores.messages.set([pending]))
    const node = row(root, pending)
    const confirmed = { ...pending, id: 'server-1', seq: 1, status: 'sent' as const }
    await update(() => fake.stores.messages.set([makeMessage({ own: false }), confirmed]))
    expect(row(root, confirmed)).toBe(node)
    expect(node.getAttribute('data-status')).toBe('sent')
  })
})
