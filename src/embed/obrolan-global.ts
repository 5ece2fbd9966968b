/**
 * The types of `window.Obrolan`, the script tag's command function, published as the types of
 * `obrolan/obrolan.iife.js`: `import type {} from 'obrolan/obrolan.iife.js'` (or a
 * `/// <reference types>`) types a page's `Obrolan('boot', …)` calls. The commands are checked
 * again at run time (commands.ts), since a page's plain JavaScript gets no compiler.
 */
import type { ChatClientEvents } from '../index'
import type { VisitorIdentity } from '../protocol'
import type { BootOptions } from './commands'

export type { BootOptions }

/** The script tag's commands; calls made before it loaded wait in `q` and run in order. */
export interface ObrolanCommand {
  /** Mounts the widget (after `DOMContentLoaded`). */
  (command: 'boot', options: BootOptions): void
  (command: 'open' | 'close' | 'toggle' | 'shutdown'): void
  /** A logged-in visitor, signed by your backend (`signUserId` from `obrolan/server`). */
  (command: 'identify', identity: VisitorIdentity): void
  (command: 'on', event: 'open' | 'close', listener: () => void): void
  <E extends keyof ChatClientEvents>(command: 'on', event: E, listener: ChatClientEvents[E]): void
  /** The snippet's queue of calls made before the script arrived. */
  q?: ArrayLike<unknown>[]
  /** Set once the script has replaced the snippet's stub. */
  loaded?: boolean
}

declare global {
  interface Window {
    Obrolan?: ObrolanCommand
  }
}
