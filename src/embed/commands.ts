/**
 * The script tag's command vocabulary: `Obrolan('boot', {...})`, `Obrolan('open')`, … Each
 * command is checked here with a clear message, because on a stranger's page a typo must say
 * what went wrong instead of failing silently.
 */
import type { ChatClientOptions } from '../index'
import type { VisitorIdentity } from '../protocol'
import type { WidgetOptions } from '../widget'

export interface BootOptions extends Omit<WidgetOptions, 'client' | 'url' | 'target' | 'clientOptions'> {
  /** The chat server's URL. */
  server: string
  /** The visitor's display name, sent to agents. */
  name?: string
}

/** The `mountWidget` options a boot stands for: `server` is the client's URL, `name` goes into its handshake. */
export function widgetOptionsFromBoot(boot: BootOptions, clientOptions: Partial<ChatClientOptions> = {}): WidgetOptions {
  const { server, name, ...widgetOptions } = boot
  return { ...widgetOptions, url: server, clientOptions: { ...(name ? { name } : {}), ...clientOptions } }
}

export type Command =
  | { name: 'boot'; options: BootOptions }
  | { name: 'open' | 'close' | 'toggle' | 'shutdown' }
  | { name: 'identify'; identity: VisitorIdentity }
  | { name: 'on'; event: string; listener: (...args: unknown[]) => void }

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Turns the arguments of one `Obrolan(...)` call into a command, or throws a TypeError saying why not. */
export function parseCommand(args: ArrayLike<unknown>): Command {
  const [name, first, second] = Array.from(args)
  switch (name) {
    case 'boot': {
      if (!isObject(first) || typeof first.server !== 'string' || first.server === '') {
        throw new TypeError("Obrolan('boot', options): options.server must be the chat server's URL")
      }
      return { name, options: first as unknown as BootOptions }
    }
    case 'open':
    case 'close':
    case 'toggle':
    case 'shutdown':
      return { name }
    case 'identify': {
      const usage = "Obrolan('identify', { userId, userHash, name?, email? }) with userHash signed by your backend"
      if (!isObject(first) || typeof first.userId !== 'string' || typeof first.userHash !== 'string') {
        throw new TypeError(`${usage}: userId and userHash are required strings`)
      }
      for (const key of ['name', 'email'] as const) {
        if (first[key] !== undefined && typeof first[key] !== 'string') throw new TypeError(`${usage}: ${key} must be a string`)
      }
      return { name, identity: first as unknown as VisitorIdentity }
    }
    case 'on': {
      if (typeof first !== 'string' || typeof second !== 'function') {
        throw new TypeError("Obrolan('on', event, listener): give an event name and a function")
      }
      return { name, event: first, listener: second as (...args: unknown[]) => void }
    }
    default:
      throw new TypeError(`Obrolan: unknown command ${JSON.stringify(name)}; use boot, open, close, toggle, identify, on or shutdown`)
  }
}

/** Boot options from the script tag's `data-*` attributes; undefined when it has no `data-server`. */
export function bootOptionsFromDataset(dataset: DOMStringMap): BootOptions | undefined {
  const server = dataset.server
  if (!server) return undefined
  const options: BootOptions = { server }
  if (dataset.title) options.title = dataset.title
  if (dataset.greeting) options.greeting = dataset.greeting
  if (dataset.color) options.primaryColor = dataset.color
  if (dataset.position === 'left' || dataset.position === 'right') options.position = dataset.position
  if (dataset.locale) options.locale = dataset.locale
  if (dataset.zIndex && Number.isFinite(Number(dataset.zIndex))) options.zIndex = Number(dataset.zIndex)
  if (dataset.colorScheme === 'light' || dataset.colorScheme === 'dark' || dataset.colorScheme === 'auto') {
    options.colorScheme = dataset.colorScheme
  }
  if (dataset.open === 'true' || dataset.open === '') options.open = true
  if (dataset.name) options.name = dataset.name
  return options
}
