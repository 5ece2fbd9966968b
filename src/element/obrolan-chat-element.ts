/**
 * `<obrolan-chat server="https://chat.example.com" title="Help">`: the widget as a custom element,
 * for pages built with any framework or none. Its attributes are the script tag's `data-*`
 * settings without the prefix, read by the same code (`bootOptionsFromDataset`), so both accept
 * the same values. The widget itself is drawn on `document.body` like every mount (fixed in a
 * corner, out of reach of the element's ancestors' transforms and overflow); the element owns it:
 * removing the element removes the widget and closes its connection.
 *
 * Importing this module touches no DOM: on a server there is no `HTMLElement` to extend, and the
 * class extends an empty stand-in that is never registered.
 */
import { bootOptionsFromDataset, widgetOptionsFromBoot } from '../embed/commands'
import { mountWidget, type WidgetHandle } from '../widget'

export const OBROLAN_CHAT_TAG = 'obrolan-chat'

/** Every attribute the element reads; a change to any but `open` mounts the widget afresh. */
const ATTRIBUTES = ['server', 'title', 'greeting', 'color', 'position', 'locale', 'z-index', 'color-scheme', 'open', 'name']

const camelCase = (name: string) => name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase())

const ElementBase = (globalThis.HTMLElement ?? class {}) as typeof HTMLElement

export class ObrolanChatElement extends ElementBase {
  static readonly observedAttributes = ATTRIBUTES

  private handle: WidgetHandle | undefined
  private stale = false
  private scheduled = false

  /** The mounted widget (its client, `open()`, `on(event, fn)`, …) while the element is in the page. */
  get widget(): WidgetHandle | undefined {
    return this.handle
  }

  connectedCallback(): void {
    this.schedule()
  }

  disconnectedCallback(): void {
    this.schedule()
  }

  attributeChangedCallback(name: string, previous: string | null, next: string | null): void {
    if (previous === next) return
    if (name === 'open' && this.handle) {
      if (next === null || next === 'false') this.handle.close()
      else this.handle.open()
      return
    }
    this.stale = true
    this.schedule()
  }

  /**
   * Settles once per task, so that setting several attributes mounts once, and moving the element
   * elsewhere in the page (disconnected, then connected again) keeps its widget and connection.
   */
  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    queueMicrotask(() => {
      this.scheduled = false
      this.settle()
    })
  }

  private settle(): void {
    if (this.handle && (this.stale || !this.isConnected)) {
      this.handle.destroy()
      this.handle = undefined
    }
    this.stale = false
    if (!this.isConnected || this.handle) return
    const dataset: Record<string, string> = {}
    for (const name of ATTRIBUTES) {
      const value = this.getAttribute(name)
      if (value !== null) dataset[camelCase(name)] = value
    }
    const boot = bootOptionsFromDataset(dataset)
    if (!boot) {
      console.error(`<${OBROLAN_CHAT_TAG}> needs a server attribute, e.g. <${OBROLAN_CHAT_TAG} server="https://chat.example.com">`)
      return
    }
    try {
      this.handle = mountWidget(widgetOptionsFromBoot(boot))
    } catch (error) {
      // A bad attribute (an unknown colour, say) must not break the page; the console says which.
      console.error(`<${OBROLAN_CHAT_TAG}> could not show the chat:`, error)
    }
  }
}

/** Registers `<obrolan-chat>` (once; a page may load the module twice). Does nothing without a DOM. */
export function defineObrolanChat(): void {
  if (typeof customElements !== 'undefined' && !customElements.get(OBROLAN_CHAT_TAG)) {
    customElements.define(OBROLAN_CHAT_TAG, ObrolanChatElement)
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'obrolan-chat': ObrolanChatElement
  }
}
