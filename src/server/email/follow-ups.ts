/**
 * E-mails an agent's reply to a visitor who has left. After an agent's message, the room is
 * looked at again every `afterMs` while the reply is unread: a visitor with a socket in the room
 * is present (nothing is sent; a visitor who leaves is given `afterMs` more); a visitor gone for
 * `afterMs` (as far as this node saw them leave) with an address (the pre-chat form's or the
 * away e-mail, else an identified visitor's) gets the unread replies with the conversation's recent
 * messages and a link back to the page they were on. The room's follow-up mark, raised atomically
 * in the store before sending, makes each reply go out once, whichever node looks first.
 *
 * Rooms waiting are held in this process: a restart forgets them (the reply is then not e-mailed).
 */
import type { WireMessage } from '../../protocol'
import type { Logger } from '../logger'
import type { PresenceStore } from '../presence'
import type { Store } from '../store'
import type { ResolvedEmail } from './email-options'
import { followUpMail } from './follow-up-text'
import type { Mailer } from './mailer'

/** Messages the e-mail shows, newest last. */
const RECENT = 8
/** A reply still unread after this long is no longer followed up. */
const GIVE_UP_MS = 24 * 3_600_000

export interface FollowUps {
  /** An agent's message was stored in the room. */
  agentReplied(roomId: string): void
  /** The visitor's last socket left the room. */
  visitorLeft(roomId: string): void
  close(): void
}

export interface FollowUpOptions {
  email: ResolvedEmail
  mailer: Mailer
  store: Store
  presence: PresenceStore
  now: () => number
  logger: Logger
  reportError: (error: unknown, context: Record<string, unknown>) => void
  /** Holds each check until it is done, so that closing the server waits for it. */
  track: (work: Promise<unknown>, label: string) => void
}

interface Waiting {
  since: number
  timer: ReturnType<typeof setTimeout>
}

export function createFollowUps(options: FollowUpOptions): FollowUps {
  const { email, store, presence, now, logger } = options
  const waiting = new Map<string, Waiting>()
  const leftAt = new Map<string, number>()

  function schedule(roomId: string, delay: number, since = waiting.get(roomId)?.since ?? now()): void {
    clearTimeout(waiting.get(roomId)?.timer)
    const timer = setTimeout(() => options.track(check(roomId), `follow-up of room ${roomId}`), Math.max(0, delay))
    timer.unref()
    waiting.set(roomId, { since, timer })
  }

  function stop(roomId: string): void {
    clearTimeout(waiting.get(roomId)?.timer)
    waiting.delete(roomId)
    leftAt.delete(roomId)
  }

  async function check(roomId: string): Promise<void> {
    const entry = waiting.get(roomId)
    if (!entry) return
    if (now() - entry.since > GIVE_UP_MS) return stop(roomId)
    if ((await presence.presence(roomId)).visitorConnected) return schedule(roomId, email.afterMs)
    const gone = now() - (leftAt.get(roomId) ?? -Infinity)
    if (gone < email.afterMs) return schedule(roomId, email.afterMs - gone)
    const summary = await store.getSummary(roomId)
    const to = summary?.contact?.email ?? summary?.visitor.email
    const unreadFrom = summary ? summary.watermarks.visitor.read : 0
    const page = summary && to ? await store.getMessages(roomId, { limit: RECENT }) : undefined
    const unread = page?.messages.filter((message) => message.author.role === 'agent' && message.seq > unreadFrom && !message.deleted) ?? []
    const last = unread[unread.length - 1]
    stop(roomId)
    if (!summary || !to || !page || !last) {
      if (summary && !to && summary.unread.visitor > 0) logger.debug({ roomId }, 'an agent replied to a visitor who left no e-mail address')
      return
    }
    const before = await store.claimFollowUp(roomId, last.seq)
    if (before === undefined || !unread.some((message) => message.seq > before)) return
    await send(to, summary.contact?.name ?? summary.visitor.name, summary.context?.locale, linkOf(summary.context?.page?.url), page.messages, roomId)
  }

  function linkOf(page: string | undefined): string | undefined {
    return page && /^https?:\/\//.test(page) ? page : email.siteUrl
  }

  async function send(to: string, name: string | undefined, locale: string | undefined, link: string | undefined, recent: WireMessage[], roomId: string) {
    const mail = followUpMail({ siteName: email.siteName ?? 'us', locale, visitorName: name, recent, link, replyByEmail: email.replyTo !== undefined })
    try {
      await options.mailer.send({ to, ...mail })
      logger.info({ roomId }, 'e-mailed an unread reply to a visitor who left')
    } catch (error) {
      options.reportError(error, { task: 'follow-up e-mail', roomId })
    }
  }

  return {
    agentReplied(roomId) {
      // The first unanswered reply sets the time; later ones go in the same e-mail.
      if (!waiting.has(roomId)) schedule(roomId, email.afterMs)
    },
    visitorLeft(roomId) {
      // Only a departure after the reply matters: one before it is at least as long ago as the reply.
      if (!waiting.has(roomId)) return
      leftAt.set(roomId, now())
      schedule(roomId, email.afterMs)
    },
    close() {
      for (const roomId of [...waiting.keys()]) stop(roomId)
      options.mailer.close()
    },
  }
}
