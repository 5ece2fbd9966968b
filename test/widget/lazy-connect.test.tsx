// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { memoryStorage } from '../../src'
import { mountWidget, type WidgetHandle } from '../../src/widget'

const handles: WidgetHandle[] = []
afterEach(() => {
  while (handles.length) handles.pop()!.destroy()
})

// Nothing listens there: the client stays in its connecting states, which is all we look at.
const url = 'http://127.0.0.1:9'

describe('when the widget connects', () => {
  it('waits for a first-time visitor to open the chat', () => {
    const widget = mountWidget({ url, clientOptions: { storage: memoryStorage() } })
    handles.push(widget)
    expect(widget.client.status.get()).toBe('disconnected')
    widget.open()
    expect(widget.client.status.get()).toBe('connecting')
  })

  it('connects at once for a returning visitor, to show unread replies', () => {
    const storage = memoryStorage()
    storage.setItem('obrolan:visitor:identity', JSON.stringify({ visitorId: 'v1', token: 't' }))
    const widget = mountWidget({ url, clientOptions: { storage } })
    handles.push(widget)
    expect(widget.client.status.get()).toBe('connecting')
  })

  it('connects at once when unsent messages wait in the outbox', () => {
    const storage = memoryStorage()
    storage.setItem('obrolan:visitor:outbox', JSON.stringify([{ clientId: 'c1', text: 'hi', createdAt: 1, state: 'pending' }]))
    const widget = mountWidget({ url, clientOptions: { storage } })
    handles.push(widget)
    expect(widget.client.status.get()).toBe('connecting')
  })

  it('connects at once when told to start open', () => {
    const widget = mountWidget({ url, open: true, clientOptions: { storage: memoryStorage() } })
    handles.push(widget)
    expect(widget.client.status.get()).toBe('connecting')
  })
})
