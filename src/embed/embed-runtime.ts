/**
 * What `window.Obrolan` does once the script has loaded: it runs the commands queued by the
 * snippet before the load, then every later call, in order. Mounting waits for the DOM; nothing
 * else runs before it, so the host page's own start-up is not slowed down.
 */
import { mountWidget, type WidgetHandle } from '../widget'
import type { VisitorIdentity } from '../protocol'
import { parseCommand, widgetOptionsFromBoot, type BootOptions, type Command } from './commands'

export interface EmbedRuntime {
  run(args: ArrayLike<unknown>): void
  /**
   * Moves focus to the widget's launcher, if mounted. The script-tag loader calls it when its own
   * launcher had focus as the chat arrived, so a keyboard user's place on the page is kept.
   */
  focusLauncher?(): void
}

interface Listener {
  event: string
  listener: (...args: unknown[]) => void
}

export function createEmbedRuntime(win: Window = window): EmbedRuntime {
  const doc = win.document
  let widget: WidgetHandle | undefined
  let bootOptions: BootOptions | undefined
  let identity: VisitorIdentity | undefined
  /** Commands that need a widget, held until the DOM is ready and boot has happened. */
  let waiting: Command[] = []
  const listeners: Listener[] = []
  let domReady = doc.readyState !== 'loading'

  function mount(): void {
    if (!bootOptions || widget || !domReady) return
    widget = mountWidget(widgetOptionsFromBoot(bootOptions, identity ? { identity } : {}))
    for (const { event, listener } of listeners) widget.on(event as 'open', listener as () => void)
    const held = waiting
    waiting = []
    held.forEach(execute)
  }

  function execute(command: Command): void {
    switch (command.name) {
      case 'boot':
        if (bootOptions) {
          console.error('Obrolan: already booted; call shutdown first to boot again')
          return
        }
        bootOptions = command.options
        mount()
        return
      case 'open':
      case 'close':
      case 'toggle':
        if (widget) widget[command.name]()
        else waiting.push(command)
        return
      case 'identify':
        // Before boot it goes into the handshake; after, the client reconnects with it.
        identity = command.identity
        widget?.client.identify(identity)
        return
      case 'on':
        listeners.push({ event: command.event, listener: command.listener })
        widget?.on(command.event as 'open', command.listener as () => void)
        return
      case 'shutdown':
        widget?.destroy()
        widget = undefined
        bootOptions = undefined
        waiting = []
        return
    }
  }

  if (!domReady) {
    doc.addEventListener('DOMContentLoaded', () => {
      domReady = true
      mount()
    }, { once: true })
  }

  return {
    focusLauncher() {
      // The widget's launcher button (Launcher.tsx); its shadow root is open, like every mount's.
      widget?.host.shadowRoot?.querySelector<HTMLElement>('button.launcher')?.focus()
    },
    run(args) {
      try {
        execute(parseCommand(args))
      } catch (error) {
        // A bad call on a host page must not break that page's other scripts.
        console.error(error)
      }
    },
  }
}
