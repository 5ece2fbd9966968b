/**
 * What every component needs and nothing changes after mount: the client, the resolved strings,
 * the time formatter and the document the widget lives in (which may be an iframe's).
 */
import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import type { ChatClient } from '../index'
import type { WidgetStrings } from './i18n'

export interface WidgetEnvironment {
  client: ChatClient
  strings: WidgetStrings
  formatTime: (time: number) => string
  document: Document
}

export const WidgetContext = createContext<WidgetEnvironment | undefined>(undefined)

export function useWidget(): WidgetEnvironment {
  const env = useContext(WidgetContext)
  if (!env) throw new Error('obrolan widget: components must be rendered inside mountWidget')
  return env
}
