/** Mounting the widget in happy-dom and querying inside its shadow root. */
import { act, configure, within } from '@testing-library/preact'
import { afterEach, vi } from 'vitest'
import { mountWidget, type WidgetHandle, type WidgetOptions } from '../../src/widget'
import { createFakeClient, type FakeClient } from './fake-client'

// Testing Library prints the DOM on a failed query but cannot print a ShadowRoot: print its HTML.
configure({
  getElementError: (message, container) =>
    new Error(`${message ?? ''}\n\n${(container as unknown as ShadowRoot | undefined)?.innerHTML ?? ''}`),
})

const mounted: WidgetHandle[] = []

afterEach(() => {
  vi.restoreAllMocks()
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

/**
 * Gives every bubble row in `log` a bounding box as if each were `rowHeight` high, stacked from
 * the top and moved up by `log.scrollTop`; the log itself sits at 0.
 */
export function placeRows(log: HTMLElement, rowHeight: number): void {
  log.getBoundingClientRect = () => new DOMRect(0, 0, 300, log.clientHeight)
  const original = HTMLElement.prototype.getBoundingClientRect
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
    if (!this.classList.contains('row') || this.classList.contains('greeting')) return original.call(this)
    const rows = [...log.querySelectorAll('.row:not(.greeting)')]
    return new DOMRect(0, rows.indexOf(this) * rowHeight - log.scrollTop, 300, rowHeight)
  })
}
