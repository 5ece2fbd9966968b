/**
 * What every component needs and nothing changes after mount: the client, the resolved strings,
 * the time formatter and the document the widget lives in (which may be an iframe's).
 */
import type { WritableAtom } from 'nanostores'
import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import type { ChatClient } from '../index'
import type { WidgetStrings } from './i18n'

export interface WidgetEnvironment {
  client: ChatClient
  strings: WidgetStrings
  formatTime: (time: number) => string
  /** A moment in the coming week as the visitor reads it: weekday and time, in the visitor's zone. */
  formatOpening: (time: number) => string
  document: Document
  /** The visitor muted the sound (remembered in the browser). */
  $muted: WritableAtom<boolean>
  /** The visitor answered (or skipped) the pre-chat form (remembered in the browser). */
  $preChatDone: WritableAtom<boolean>
}

export const WidgetContext = createContext<WidgetEnvironment | undefined>(undefined)

export function useWidget(): WidgetEnvironment {
  const env = useContext(WidgetContext)
  if (!env) throw new Error('obrolan widget: components must be rendered inside mountWidget')
  return env
}
