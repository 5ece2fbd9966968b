/**
 * What `window.Obrolan` does until the chat has arrived. The loader checks each call, keeps the
 * valid ones in order, draws the closed launcher once the page is booted and the DOM is ready,
 * and fetches the chat file only when the visitor needs it:
 *
 * - now, on a launcher click (or Enter/Space on it), `open`/`toggle`, or `boot` with `open: true`;
 * - when the page is idle, if this browser already has a conversation or unsent messages
 *   (`stored-conversation.ts`), or after `identify` (a logged-in visitor connects at once);
 * - early, when the pointer or focus reaches the launcher (a click is likely to follow).
 *
 * When the chat arrives, every kept call is replayed into its runtime in order (a launcher click
 * is kept as an `open`), the widget's launcher replaces the loader's in the same task (no frame
 * shows neither or both), and focus moves with it. From then on calls go straight to the chat.
 * If the chat fails to load, the launcher stays, the failure is reported once, and the next click
 * (or `open`/`toggle`) tries again. Nothing here throws into the host page.
 */
import { launcherStrings } from '../widget/launcher-strings'
import { resolveTheme } from '../widget/theme'
import type { ChatBundle } from './chat-bundle'
import { parseCommand, type BootOptions } from './commands'
import type { EmbedRuntime } from './embed-runtime'
import { drawLoaderLauncher, type LoaderLauncher } from './loader-launcher'
import { hasStoredConversation } from './stored-conversation'

export interface LoaderEnvironment {
  window: Window
  /** Fetches and runs the chat file (`loadChatBundle` with the URL next to the loader). */
  loadChat(): Promise<ChatBundle>
  /** Runs `task` when the page is idle; `requestIdleCallback` in browsers. */
  whenIdle(task: () => void): void
}

/** Where the loader is: each state has one way forward, and `failed` goes back to `loading` on request. */
type LoadState = 'waiting' | 'loading' | 'failed' | 'loaded'

/** Why the chat is wanted: `now` (the visitor asked), `idle` (it has work to do), or not yet. */
type Need = 'none' | 'idle' | 'now'

export function createLoader(env: LoaderEnvironment): EmbedRuntime {
  const win = env.window
  const doc = win.document
  /** Valid calls, in order, for the chat runtime; the loader never drops or reorders one. */
  const kept: unknown[][] = []
  let runtime: EmbedRuntime | undefined
  let state: LoadState = 'waiting'
  let boot: BootOptions | undefined
  let need: Need = 'none'
  let idleScheduled = false
  /** Read once, when first needed: storage only changes this answer through the chat itself. */
  let storedConversation: boolean | undefined
  let launcher: LoaderLauncher | undefined
  let domReady = doc.readyState !== 'loading'

  function want(next: Need): void {
    if (next === 'now' || need === 'none') need = next
  }

  function keep(args: unknown[]): void {
    let command
    try {
      command = parseCommand(args)
      if (command.name === 'boot') {
        if (boot) throw new Error('Obrolan: already booted; call shutdown first to boot again')
        // The widget's own checks (colour, position, z-index, scheme), before anything is drawn.
        resolveTheme(command.options)
      }
    } catch (error) {
      // A bad call on a host page must not break that page's other scripts.
      console.error(error)
      return
    }
    kept.push(args)
    switch (command.name) {
      case 'boot':
        boot = command.options
        if (boot.open === true) want('now')
        break
      case 'open':
      case 'toggle':
        want('now')
        break
      case 'identify':
        want('idle')
        break
      case 'shutdown':
        // Replaying the shutdown clears the widget's pending opens; so does the loader. An
        // identity stays, as in the runtime.
        boot = undefined
        if (need === 'now') need = 'none'
        break
    }
    update()
  }

  /** Brings the launcher and the loading in line with the calls so far. Only after DOMContentLoaded. */
  function update(): void {
    if (!domReady || runtime) return
    if (!boot) {
      launcher?.remove()
      launcher = undefined
      return
    }
    if (!launcher) launcher = draw(boot)
    if (need === 'now') {
      if (state === 'waiting' || state === 'failed') load()
    } else if (!idleScheduled && (need === 'idle' || (storedConversation ??= hasStoredConversation(win)))) {
      idleScheduled = true
      env.whenIdle(() => {
        idleScheduled = false
        // Shut down meanwhile: the next boot schedules it again.
        if (state === 'waiting' && boot) load()
      })
    }
  }

  function draw(options: BootOptions): LoaderLauncher | undefined {
    try {
      const strings = launcherStrings(options.locale ?? win.navigator?.language, options.strings)
      return drawLoaderLauncher(doc, {
        theme: resolveTheme(options),
        title: options.title ?? strings.title,
        label: strings.openChat,
        onOpen: () => run(['open']),
        onIntent: () => {
          if (state === 'waiting') load()
        },
      })
    } catch (error) {
      // No constructable stylesheets (very old browsers): the chat file could not draw either.
      console.error(error)
      return undefined
    }
  }

  function load(): void {
    state = 'loading'
    env.loadChat().then(handOver, (error: unknown) => {
      state = 'failed'
      console.error(error)
    })
  }

  function handOver(bundle: ChatBundle): void {
    const hadFocus = launcher?.hasFocus() === true
    // Hovered, then pressed while the chat arrived: the click that was under way would be lost.
    if (launcher?.isPressed() === true) keep(['open'])
    let next: EmbedRuntime
    try {
      next = bundle.createEmbedRuntime(win)
    } catch (error) {
      state = 'failed'
      console.error(error)
      return
    }
    state = 'loaded'
    runtime = next
    // Replay first: the widget mounts (synchronously) on the replayed boot, so its launcher is in
    // the page before the loader's goes, in the same task: no frame shows neither or both.
    for (const args of kept.splice(0)) next.run(args)
    if (hadFocus) next.focusLauncher?.()
    launcher?.remove()
    launcher = undefined
  }

  function run(args: unknown[]): void {
    if (runtime) runtime.run(args)
    else keep(args)
  }

  if (!domReady) {
    doc.addEventListener('DOMContentLoaded', () => {
      domReady = true
      update()
    }, { once: true })
  }

  return { run: (args) => run(Array.from(args)) }
}
