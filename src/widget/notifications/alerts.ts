/**
 * How the widget gets a visitor's attention when an agent writes and the visitor is not looking
 * (the panel closed, or the tab hidden): a short chime, unless muted, and never before the
 * visitor's first click or key press on the page (browsers block sound before that, and a page
 * should not make noise unasked); the unread count in the tab's title while it is hidden. The
 * launcher's badge shows the count too (`Launcher.tsx`). With several tabs open, one tab plays
 * the chime for a message: the one in view if any (a Web Lock per message decides).
 */
import type { ReadableAtom } from 'nanostores'
import type { ChatClient, ChatMessage } from '../../index'
import { unreadTitle } from './unread-title'

/** A hidden tab lets a visible one take the chime first. */
const HIDDEN_TAB_DELAY_MS = 200
/** How long a tab keeps a message's chime to itself: longer than any tab's delay. */
const CHIME_HOLD_MS = 3000

interface LocksLike {
  request(name: string, options: { ifAvailable: boolean }, callback: (lock: unknown) => Promise<void>): Promise<void>
}

export interface AlertsOptions {
  win: Window & typeof globalThis
  client: ChatClient
  $open: ReadableAtom<boolean>
  $muted: ReadableAtom<boolean>
  chime: () => void
}

export function startAlerts({ win, client, $open, $muted, chime }: AlertsOptions): () => void {
  const doc = win.document
  const nav = win.navigator as Navigator & { userActivation?: { hasBeenActive: boolean }; locks?: LocksLike }
  let interacted = nav.userActivation?.hasBeenActive === true
  const interaction = () => void (interacted = true)
  const hidden = () => doc.visibilityState === 'hidden'

  const title = unreadTitle(doc)
  const showCount = () => title.update(client.unread.get(), hidden())

  function chimeOnce(message: ChatMessage): void {
    const locks = nav.locks
    if (!locks || typeof locks.request !== 'function') return chime()
    const claim = () =>
      locks
        .request(`${client.storageKey}:chime:${message.id ?? message.clientId}`, { ifAvailable: true }, async (lock) => {
          if (!lock) return
          chime()
          await new Promise((resolve) => win.setTimeout(resolve, CHIME_HOLD_MS))
        })
        .catch((error: unknown) => console.warn('obrolan: could not decide which tab plays the chime', error))
    if (hidden()) win.setTimeout(claim, HIDDEN_TAB_DELAY_MS)
    else void claim()
  }

  const offMessage = client.on('message', (message) => {
    if (message.author.role !== 'agent') return
    if ($open.get() && !hidden()) return
    if ($muted.get() || !interacted) return
    chimeOnce(message)
  })
  const offUnread = client.unread.subscribe(showCount)
  doc.addEventListener('visibilitychange', showCount)
  doc.addEventListener('pointerdown', interaction, { capture: true })
  doc.addEventListener('keydown', interaction, { capture: true })

  return () => {
    offMessage()
    offUnread()
    doc.removeEventListener('visibilitychange', showCount)
    doc.removeEventListener('pointerdown', interaction, { capture: true })
    doc.removeEventListener('keydown', interaction, { capture: true })
    title.update(0, false)
  }
}
