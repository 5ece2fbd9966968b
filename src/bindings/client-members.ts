/**
 * What the framework bindings (`obrolan/react`, `obrolan/vue`) hand to a component: each of the
 * client's stores as a value, and its methods. Both lists are read from the client itself (its
 * `ChatClient` type, and at run time its own members), so a store or method the core adds shows
 * up in every binding without being named here.
 */
import type { ReadableAtom } from 'nanostores'
import type { ChatClient } from '../index'

/** The names of the client's stores: `status`, `messages`, `typing`, `presence`, `unread`, … */
export type ChatStoreName = {
  [K in keyof ChatClient]-?: ChatClient[K] extends ReadableAtom<unknown> ? K : never
}[keyof ChatClient]

/** The names of the client's methods: `send`, `retry`, `edit`, `markRead`, `loadOlder`, … */
export type ChatMethodName = {
  [K in keyof ChatClient]-?: ChatClient[K] extends (...args: never[]) => unknown ? K : never
}[keyof ChatClient]

/** The client's methods, bound to it. */
export type ChatMethods = Pick<ChatClient, ChatMethodName>

const isStore = (value: unknown): value is ReadableAtom<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as ReadableAtom<unknown>).subscribe === 'function' &&
  typeof (value as ReadableAtom<unknown>).get === 'function'

/** Own data properties of the client and of its prototypes, without running getters. */
function members(client: ChatClient): [string, unknown][] {
  const found = new Map<string, unknown>()
  for (let layer: object | null = client; layer && layer !== Object.prototype; layer = Object.getPrototypeOf(layer)) {
    for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(layer))) {
      if (!found.has(name) && 'value' in descriptor) found.set(name, descriptor.value)
    }
  }
  return [...found]
}

/** The client's store names, in a fixed order (the bindings call one hook per store). */
export function storeNames(client: ChatClient): ChatStoreName[] {
  return members(client)
    .filter(([, value]) => isStore(value))
    .map(([name]) => name as ChatStoreName)
}

/** The client's methods bound to it, made once per client so components get stable functions. */
export function boundMethods(client: ChatClient): ChatMethods {
  const methods: Record<string, unknown> = {}
  for (const [name, value] of members(client)) {
    if (typeof value === 'function' && name !== 'constructor') methods[name] = value.bind(client)
  }
  return methods as unknown as ChatMethods
}
