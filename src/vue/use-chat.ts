/**
 * `useChat(client)` for Vue: the client's stores as read-only refs (through `@nanostores/vue`,
 * unsubscribed when the calling component's scope ends) and its methods. Call it in `setup`.
 */
import { useStore } from '@nanostores/vue'
import type { StoreValue } from 'nanostores'
import type { DeepReadonly, ShallowRef, UnwrapNestedRefs } from 'vue'
import { boundMethods, storeNames, type ChatMethods, type ChatStoreName } from '../bindings/client-members'
import type { ChatClient } from '../index'

/** Each store as a read-only ref, as `useStore` from `@nanostores/vue` returns it. */
export type ChatRefs = { [K in ChatStoreName]: DeepReadonly<UnwrapNestedRefs<ShallowRef<StoreValue<ChatClient[K]>>>> }

export type UseChatResult = ChatRefs & ChatMethods & { client: ChatClient }

export function useChat(client: ChatClient): UseChatResult {
  const refs: Partial<Record<ChatStoreName, unknown>> = {}
  for (const name of storeNames(client)) refs[name] = useStore(client[name])
  return { ...(refs as ChatRefs), ...boundMethods(client), client }
}
