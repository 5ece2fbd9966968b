// The `obrolan/element` entry (README: "A custom element"): importing it registers <obrolan-chat>.
// It is the one bundler entry with a side effect, listed in package.json's `sideEffects`.
import { defineObrolanChat } from './obrolan-chat-element'

defineObrolanChat()

export { ObrolanChatElement, OBROLAN_CHAT_TAG } from './obrolan-chat-element'
