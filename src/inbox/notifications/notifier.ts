/**
 * Tells the agent about arrivals when they are not already looking: a chime, a desktop
 * notification (only with the browser's permission, asked for from the settings, never on load),
 * and the unread count in the tab's title. Each can be switched off in the settings.
 */
import type { ReadableAtom } from 'nanostores'
import type { ConnectionStatus, Conversation } from '../../index'
import { fill, type InboxStrings } from '../i18n'
import type { Preferences } from '../state/preferences'
import { previewText, totalUnread } from '../state/conversation-list'
import { detectArrivals, type Seen } from './arrivals'

/** The Notification API, narrowed to what the inbox uses, so tests can stand in for it. */
export interface DesktopNotifications {
  permission(): NotificationPermission
  request(): Promise<NotificationPermission>
  show(title: string, body: string, tag: string, onClick: () => void): void
}

export function browserNotifications(win: Window & typeof globalThis): DesktopNotifications | undefined {
  const Api = win.Notification
  if (typeof Api !== 'function') return undefined
  return {
    permission: () => Api.permission,
    request: () => Api.requestPermission(),
    show(title, body, tag, onClick) {
      const notification = new Api(title, { body, tag })
      notification.onclick = () => {
        win.focus()
        onClick()
        notification.close()
      }
    },
  }
}

export interface NotifierOptions {
  conversations: ReadableAtom<Conversation[]>
  /** The client's connection: the list it loads before its first connection is complete is not news. */
  status: ReadableAtom<ConnectionStatus>
  preferences: ReadableAtom<Preferences>
  strings: () => InboxStrings
  /** True when the agent can see that conversation right now (open, tab visible and focused). */
  watching: (roomId: string) => boolean
  /** True when the agent is looking at the inbox at all. */
  looking: () => boolean
  chime: () => void
  desktop: DesktopNotifications | undefined
  setTitle: (title: string) => void
  open: (roomId: string) => void
  nameOf: (conversation: Conversation) => string
}

export function startNotifier(options: NotifierOptions): () => void {
  let seen: Seen | undefined
  // The core loads the list and then reports itself connected: until then every list is the
  // starting point. After that (reconnects included) whatever the list did not hold is news.
  let started = false
  const stopStatus = options.status.subscribe((status) => void (started ||= status === 'connected'))
  const stopArrivals = options.conversations.subscribe((list) => {
    const result = detectArrivals(started ? seen : undefined, list)
    seen = result.seen
    const news = result.arrivals.filter((arrival) => !options.watching(arrival.conversation.roomId))
    if (news.length === 0) return
    const preferences = options.preferences.get()
    if (preferences.sound) options.chime()
    const desktop = options.desktop
    if (!preferences.desktop || !desktop || desktop.permission() !== 'granted' || options.looking()) return
    const strings = options.strings()
    // One notification per conversation; a later message replaces the earlier (same tag).
    for (const { kind, conversation } of news.slice(0, 3)) {
      const name = options.nameOf(conversation)
      const title = fill(kind === 'conversation' ? strings.notifyNewConversation : strings.notifyNewMessage, { name })
      try {
        desktop.show(title, previewText(conversation, undefined, strings), conversation.roomId, () => options.open(conversation.roomId))
      } catch (error) {
        console.warn('obrolan inbox: cannot show a notification', error)
      }
    }
  })
  const showTitle = () => {
    const unread = totalUnread(options.conversations.get())
    const name = options.strings().appName
    options.setTitle(unread > 0 ? `(${unread}) ${name}` : name)
  }
  const stopTitle = options.conversations.subscribe(showTitle)
  const stopTitleLanguage = options.preferences.listen(showTitle)
  return () => {
    stopStatus()
    stopArrivals()
    stopTitle()
    stopTitleLanguage()
    // Signed out: no count of messages this browser can no longer see.
    options.setTitle(options.strings().appName)
  }
}
