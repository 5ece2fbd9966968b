// The `obrolan/react` entry (README: "React"). Needs `react` and `@nanostores/react`.
export { useChat, type ChatState, type UseChatResult } from './use-chat'
export type { ChatMethods } from '../bindings/client-members'
