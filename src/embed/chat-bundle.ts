/**
 * The seam between the two script-tag files. `obrolan.iife.js` (the loader) is small and runs on
 * every page view; `obrolan.chat.js` carries Preact, the widget and the client, and is fetched
 * only when the visitor needs the chat. The chat file announces itself on one private global,
 * read once by the loader and then removed, so the page keeps only `window.Obrolan`.
 */
import type { EmbedRuntime } from './embed-runtime'

/** What `obrolan.chat.js` hands to the loader. */
export interface ChatBundle {
  createEmbedRuntime(win: Window): EmbedRuntime
}

/** The property of `window` the chat file sets. Private: not part of the public contract. */
export const CHAT_BUNDLE_GLOBAL = '__obrolanChat'

/** The chat file's name, next to the loader in `dist/` and on any CDN that serves the package. */
export const CHAT_BUNDLE_FILE = 'obrolan.chat.js'

/**
 * The chat file's URL: the loader's own `src` with the file name swapped, so it comes from the
 * same origin and folder (one CSP entry covers both) and keeps a cache-busting query.
 */
export function chatBundleUrl(loaderSrc: string, base: string): string {
  const url = new URL(loaderSrc, base)
  const chat = new URL(CHAT_BUNDLE_FILE, url)
  chat.search = url.search
  return chat.href
}

/**
 * Adds `<script async src>` for the chat file and resolves with what it exposed. Rejects when the
 * script does not load (404, CSP, offline) or loads but is not the chat file; the failed element
 * is removed so a retry starts clean.
 */
export function loadChatBundle(win: Window, src: string, nonce?: string): Promise<ChatBundle> {
  const doc = win.document
  return new Promise((resolve, reject) => {
    const script = doc.createElement('script')
    script.src = src
    script.async = true
    // A page whose CSP allows scripts by nonce gave one to our tag; the chat file needs it too.
    if (nonce) script.nonce = nonce
    const fail = (why: string) => {
      script.remove()
      reject(new Error(`Obrolan: could not load the chat from ${src} (${why})`))
    }
    script.addEventListener('error', () => fail('network error, 404 or blocked by the Content-Security-Policy'))
    script.addEventListener('load', () => {
      const holder = win as unknown as Record<string, ChatBundle | undefined>
      const bundle = holder[CHAT_BUNDLE_GLOBAL]
      delete holder[CHAT_BUNDLE_GLOBAL]
      if (typeof bundle?.createEmbedRuntime === 'function') resolve(bundle)
      else fail(`the file did not define the chat; is ${CHAT_BUNDLE_FILE} from the same release as the loader?`)
    })
    ;(doc.head ?? doc.documentElement).appendChild(script)
  })
}
