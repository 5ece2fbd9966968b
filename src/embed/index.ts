/**
 * The script-tag entry (`dist/obrolan.iife.js`): the small loader every page view pays for. The
 * snippet defines a stub `Obrolan(...)` that only queues its arguments in `Obrolan.q`; this
 * replaces the stub with the real function and runs the queue, so calls made before the script
 * arrived are not lost. The chat itself (`dist/obrolan.chat.js`) is fetched from next to this file
 * when the visitor needs it (see `loader.ts`).
 */
import { bootOptionsFromDataset } from './commands'
import { CHAT_BUNDLE_FILE, chatBundleUrl, loadChatBundle } from './chat-bundle'
import { createLoader, type LoaderEnvironment } from './loader'
import type { ObrolanCommand } from './obrolan-global'

// Read now: `currentScript` is only set while this script first runs. Without a DOM (the file
// imported during server rendering) the loader does nothing.
const script = typeof document === 'undefined' ? null : (document.currentScript as HTMLScriptElement | null)

if (typeof window !== 'undefined' && !window.Obrolan?.loaded) {
  const queued = window.Obrolan?.q ?? []
  const environment: LoaderEnvironment = {
    window,
    loadChat: () => {
      if (!script?.src) {
        return Promise.reject(new Error(`Obrolan: cannot tell where ${CHAT_BUNDLE_FILE} is; load obrolan.iife.js with a <script src> tag`))
      }
      return loadChatBundle(window, chatBundleUrl(script.src, document.baseURI), script.nonce)
    },
    // The chat for a returning visitor waits until the page's own work is done.
    whenIdle: (task) => (window.requestIdleCallback ? window.requestIdleCallback(task, { timeout: 3000 }) : setTimeout(task, 200)),
  }
  const loader = createLoader(environment)
  // Every call is checked at run time (commands.ts); the overloads are for the page's compiler.
  const api = ((...args: unknown[]) => loader.run(args)) as ObrolanCommand
  api.loaded = true
  window.Obrolan = api
  // `data-server` and friends on the script tag itself boot the widget with no code at all.
  const fromData = script?.dataset ? bootOptionsFromDataset(script.dataset) : undefined
  if (fromData) loader.run(['boot', fromData])
  for (const args of queued) loader.run(args)
}
