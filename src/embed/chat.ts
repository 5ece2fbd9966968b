/**
 * The entry of `dist/obrolan.chat.js`: the full chat (widget, client, Preact), fetched by the
 * script-tag loader when the visitor needs it. It only announces itself; the loader decides when
 * to start it and replays the page's commands into it (see `chat-bundle.ts`).
 */
import { CHAT_BUNDLE_GLOBAL, type ChatBundle } from './chat-bundle'
import { createEmbedRuntime } from './embed-runtime'

const bundle: ChatBundle = { createEmbedRuntime }
// Without a DOM (imported during server rendering) there is no loader to announce it to.
if (typeof window !== 'undefined') (window as unknown as Record<string, ChatBundle>)[CHAT_BUNDLE_GLOBAL] = bundle
