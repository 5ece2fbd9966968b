/**
 * The script-tag entry (`dist/obrolan.iife.js`). The snippet defines a stub `Obrolan(...)` that
 * only queues its arguments in `Obrolan.q`; this replaces the stub with the real function and
 * runs the queue, so calls made before the script arrived are not lost.
 */
import { bootFromScriptTag, createEmbedRuntime } from './embed-runtime'

type ObrolanGlobal = ((...args: unknown[]) => void) & { q?: ArrayLike<unknown>[]; loaded?: boolean }

declare global {
  interface Window {
    Obrolan?: ObrolanGlobal
  }
}

// Read now: `currentScript` is only set while this script first runs.
const script = document.currentScript

if (!window.Obrolan?.loaded) {
  const queued = window.Obrolan?.q ?? []
  const runtime = createEmbedRuntime(window)
  const api: ObrolanGlobal = (...args: unknown[]) => runtime.run(args)
  api.loaded = true
  window.Obrolan = api
  bootFromScriptTag(runtime, script)
  for (const args of queued) runtime.run(args)
}
