/**
 * `useChat(client)` for React: the client's stores as values that re-render the component when
 * they change (through `@nanostores/react`), and its methods. One client usually lives for the
 * page, made outside the component tree; the hook only reads it.
 */
import { useStore } from '@nanostores/react'
import { useMemo } from 'react'
import type { StoreValue } from 'nanostores'
import { boundMethods, storeNames, type ChatMethods, type ChatStoreName } from '../bindings/client-members'
import type { ChatClient } from '../index'

/** Each store's current value: `status`, `messages`, `typing`, `presence`, `unread`, … */
export type ChatState = { [K in ChatStoreName]: StoreValue<ChatClient[K]> }

export type UseChatResult = ChatState & ChatMethods & { client: ChatClient }

export function useChat(client: ChatClient): UseChatResult {
  const state: Partial<Record<ChatStoreName, unknown>> = {}
  // One hook per store, always the same stores in the same order for a client's lifetime.
  for (const name of storeNames(client)) state[name] = useStore(client[name])
  const methods = useMemo(() => boundMethods(client), [client])
  return { ...(state as ChatState), ...methods, client }
}
