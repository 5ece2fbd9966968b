/**
 * What every part of the inbox reads and nothing re-creates: the words and formats for the chosen
 * language, the server's accounts API, the session, the router, the preferences. Inside the
 * signed-in part, `ChatContext` adds the core client and who this agent is.
 */
import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import type { ChatClient } from '../index'
import type { AuthApi, Agent } from './api/auth-api'
import type { CannedStore } from './canned/canned-store'
import type { Formatters } from './format'
import type { InboxLocale, InboxStrings } from './i18n'
import type { DesktopNotifications } from './notifications/notifier'
import type { PreferenceStore } from './state/preferences'
import type { Router } from './state/route'
import type { SessionController } from './state/session'

export interface InboxEnv {
  strings: InboxStrings
  locale: InboxLocale
  format: Formatters
  now: () => number
  api: AuthApi
  session: SessionController
  router: Router
  preferences: PreferenceStore
  desktop: DesktopNotifications | undefined
  /** The chime for arrivals. */
  chime: () => void
  /** The core client for a signed-in agent (its token comes from the session). */
  makeClient: (agent: Agent) => ChatClient
  win: Window & typeof globalThis
}

export const InboxContext = createContext<InboxEnv | undefined>(undefined)

export function useInbox(): InboxEnv {
  const env = useContext(InboxContext)
  if (!env) throw new Error('obrolan inbox: components must be rendered inside startInbox')
  return env
}

export interface ChatEnv {
  client: ChatClient
  agent: Agent
  /** The team as the accounts API lists it (for assignment); undefined until known or without accounts. */
  team: Agent[] | undefined
  canned: CannedStore
  /** Shows a failure in words in the shell's alert line. */
  report(error: unknown): void
}

export const ChatContext = createContext<ChatEnv | undefined>(undefined)

export function useChat(): ChatEnv {
  const env = useContext(ChatContext)
  if (!env) throw new Error('obrolan inbox: this part needs a signed-in agent')
  return env
}
