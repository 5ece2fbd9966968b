/** Mounting the widget in happy-dom and querying inside its shadow root. */
import { act, configure, within } from '@testing-library/preact'
import { afterEach } from 'vitest'
import { mountWidget, type WidgetHandle, type WidgetOptions } from '../../src/widget'
import { createFakeClient, type FakeClient } from './fake-client'

// Testing Library prints the DOM on a failed query but cannot print a ShadowRoot: print its HTML.
configure({
  getElementError: (message, container) =>
    new Error(`${message ?? ''}\n\n${(container as unknown as ShadowRoot | undefined)?.innerHTML ?? ''}`),
})

const mounted: WidgetHandle[] = []

afterEach(() => {
  while (mounted.length) mounted.pop()!.destroy()
  document.body.innerHTML = ''
  sessionStorage.clear()
})

export interface Mounted {
  handle: WidgetHandle
  fake: FakeClient
  root: ShadowRoot
  /** Testing Library queries scoped to the shadow root. */
  ui: ReturnType<typeof within>
}

export function mount(options: Partial<WidgetOptions> = {}, fake: FakeClient = createFakeClient()): Mounted {
  let handle!: WidgetHandle
  act(() => {
    handle = mountWidget({ client: fake.client, locale: 'en', ...options })
  })
  mounted.push(handle)
  const root = handle.host.shadowRoot!
  return { handle, fake, root, ui: within(root as unknown as HTMLElement) }
}

/** Runs a store change and lets `useStore` (which batches with setTimeout) re-render. */
export async function update(change: () => void): Promise<void> {
  await act(async () => {
    change()
    await new Promise((resolve) => setTimeout(resolve, 0))
    await new Promise((resolve) => setTimeout(resolve, 0))
  })
}
