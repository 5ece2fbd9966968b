// @vitest-environment happy-dom
// `<obrolan-chat>` from `obrolan/element`, as a page uses it: markup and attributes, in happy-dom,
// with the widget's client talking to the real server.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ObrolanChatElement, OBROLAN_CHAT_TAG } from '../../src/element'
import { eventually, startServer } from '../support/harness'

const HOST = '[data-obrolan-widget]'
const settled = () => new Promise((resolve) => setTimeout(resolve, 0))

afterEach(() => {
  document.body.innerHTML = ''
  sessionStorage.clear()
  localStorage.clear()
  vi.restoreAllMocks()
})

async function place(markup: string): Promise<ObrolanChatElement> {
  document.body.insertAdjacentHTML('beforeend', markup)
  await settled()
  return document.body.querySelector(OBROLAN_CHAT_TAG)!
}

describe('<obrolan-chat>', () => {
  it('is registered by importing the entry', () => {
    expect(customElements.get(OBROLAN_CHAT_TAG)).toBe(ObrolanChatElement)
    expect(document.createElement(OBROLAN_CHAT_TAG)).toBeInstanceOf(ObrolanChatElement)
  })

  it('mounts the widget with the settings its attributes give, and connects when opened', async () => {
    const server = await startServer({ allowedOrigins: '*' })
    const element = await place(
      `<obrolan-chat server="${server.url}" title="Toko Kopi" greeting="Halo!" color="#0f766e" position="left" locale="id" z-index="40" color-scheme="dark" name="Budi"></obrolan-chat>`,
    )
    const widget = element.widget!
    expect(document.querySelectorAll(HOST)).toHaveLength(1)
    expect(widget.host.getAttribute('data-position')).toBe('left')
    expect(widget.host.getAttribute('data-color-scheme')).toBe('dark')
    const root = widget.host.shadowRoot!
    expect(root.querySelector('[role=dialog]')!.getAttribute('aria-label')).toBe('Toko Kopi')
    // Indonesian strings: the launcher's label comes from the `id` locale.
    expect(root.querySelector('button.launcher')!.textContent).toBe('Buka obrolan')
    expect(widget.client.status.get()).toBe('disconnected')

    element.setAttribute('open', '')
    expect(widget.isOpen).toBe(true)
    await eventually(() => expect(widget.client.status.get()).toBe('connected'))
    expect(widget.client.user.get()?.name).toBe('Budi')
    expect(root.textContent).toContain('Halo!')
    // The same widget: opening is not a new mount.
    expect(element.widget).toBe(widget)
    element.removeAttribute('open')
    expect(widget.isOpen).toBe(false)
  })

  it('mounts afresh, once, when settings change', async () => {
    const element = await place('<obrolan-chat server="http://127.0.0.1:9" title="One"></obrolan-chat>')
    const first = element.widget!
    element.setAttribute('title', 'Two')
    element.setAttribute('position', 'left')
    await settled()
    const second = element.widget!
    expect(second).not.toBe(first)
    expect(first.host.isConnected).toBe(false)
    expect(document.querySelectorAll(HOST)).toHaveLength(1)
    expect(second.host.shadowRoot!.querySelector('[role=dialog]')!.getAttribute('aria-label')).toBe('Two')
    expect(second.host.getAttribute('data-position')).toBe('left')
  })

  it('removes the widget and closes its connection when the element leaves the page', async () => {
    const server = await startServer({ allowedOrigins: '*' })
    const element = await place(`<obrolan-chat server="${server.url}" open></obrolan-chat>`)
    const widget = element.widget!
    await eventually(() => expect(widget.client.status.get()).toBe('connected'))
    element.remove()
    await settled()
    expect(element.widget).toBeUndefined()
    expect(document.querySelectorAll(HOST)).toHaveLength(0)
    expect(widget.client.status.get()).toBe('disconnected')
  })

  it('keeps its widget when moved elsewhere in the page', async () => {
    const element = await place('<obrolan-chat server="http://127.0.0.1:9"></obrolan-chat>')
    const widget = element.widget!
    const footer = document.createElement('footer')
    document.body.append(footer)
    footer.append(element)
    await settled()
    expect(element.widget).toBe(widget)
    expect(widget.host.isConnected).toBe(true)
  })

  it('says why on the console when it cannot show the chat', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const missing = await place('<obrolan-chat title="No server"></obrolan-chat>')
    expect(missing.widget).toBeUndefined()
    expect(String(errors.mock.calls[0]?.[0])).toMatch(/needs a server attribute/)

    const badColour = await place('<obrolan-chat server="http://127.0.0.1:9" color="url(javascript:alert(1))"></obrolan-chat>')
    expect(badColour.widget).toBeUndefined()
    expect(String(errors.mock.calls[1]?.[0])).toMatch(/could not show the chat/)
    expect(String(errors.mock.calls[1]?.[1])).toMatch(/colou?r/i)
    expect(document.querySelectorAll(HOST)).toHaveLength(0)
  })
})
