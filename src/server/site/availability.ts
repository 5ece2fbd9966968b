/**
 * Whether the team can answer now, for every visitor: agents online for the site (any agent
 * socket, on any node: agents' sockets join a presence room of their own, so Redis presence and
 * its sweeps of dead nodes count them like any room's members) and business hours. Visitors hear
 * it in `session` and again in `availability_update` whenever it may have changed: an agent came
 * or went, or the hours opened or closed.
 */
import type { Availability, SiteInfo } from '../../protocol'
import type { BackgroundTasks } from '../background-tasks'
import type { ChatIo } from '../context'
import type { PresenceStore } from '../presence'
import { hoursAt } from './business-hours'
import type { ResolvedSite } from './site-options'

/** The presence room every agent socket joins. No server-made room id has a `#`. */
export const AGENTS_PRESENCE_ROOM = '#agents'

/** The socket.io room every visitor socket joins, to hear about availability. */
export const VISITORS_CHANNEL = 'visitors'

/** setTimeout's limit; a later change is looked at again then. */
const MAX_TIMER_MS = 2 ** 31 - 1

export interface SiteAvailability {
  current(): Promise<Availability>
  /** What a visitor's `session` carries. */
  info(): Promise<SiteInfo>
  /** At least one agent is online (any node). */
  agentsOnline(): Promise<boolean>
  /** Agents came or went: tells every visitor, on every node. */
  agentsChanged(): void
  stop(): void
}

export interface AvailabilityOptions {
  io: ChatIo
  presence: PresenceStore
  site: ResolvedSite
  now: () => number
  background: BackgroundTasks
}

export function createSiteAvailability({ io, presence, site, now, background }: AvailabilityOptions): SiteAvailability {
  const { schedule } = site
  let timer: ReturnType<typeof setTimeout> | undefined

  const agentsOnline = async () => (await presence.presence(AGENTS_PRESENCE_ROOM)).totalAgent > 0

  async function current(): Promise<Availability> {
    const hours = schedule && hoursAt(schedule, now())
    return {
      agentsOnline: await agentsOnline(),
      withinHours: hours?.open ?? true,
      ...(hours && !hours.open && hours.nextChange !== undefined && { opensAt: hours.nextChange }),
    }
  }

  /** Each node tells its own visitors when the hours change (every node has the same timer). */
  function armHoursTimer(): void {
    if (!schedule) return
    const { nextChange } = hoursAt(schedule, now())
    if (nextChange === undefined) return
    timer = setTimeout(() => {
      background.add(current().then((availability) => void io.local.to(VISITORS_CHANNEL).emit('availability_update', availability)), 'availability at a change of hours')
      armHoursTimer()
    }, Math.min(MAX_TIMER_MS, Math.max(0, nextChange - now()) + 1))
    timer.unref()
  }
  armHoursTimer()

  return {
    current,
    agentsOnline,
    async info() {
      return {
        availability: await current(),
        awayEmail: site.awayEmail,
        ...(site.replyMinutes !== undefined && { replyMinutes: site.replyMinutes }),
        ...(site.preChatForm && { preChatForm: site.preChatForm }),
      }
    },
    agentsChanged() {
      background.add(current().then((availability) => void io.to(VISITORS_CHANNEL).emit('availability_update', availability)), 'availability after agents changed')
    },
    stop() {
      clearTimeout(timer)
    },
  }
}
