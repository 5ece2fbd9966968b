// The `obrolan/vue` entry (README: "Vue"). Needs `vue` and `@nanostores/vue`.
export { useChat, type ChatRefs, type UseChatResult } from './use-chat'
export type { ChatMethods } from '../bindings/client-members'
