/**
 * What the widget says about who can answer: an agent in this conversation, the team online, or
 * away (no agent online, or outside business hours) — and, when away, when a reply can be expected.
 */
import type { Presence, SiteInfo } from '../index'

export type Availability = 'here' | 'online' | 'away'

/** Undefined until the server has said (an older server says nothing about the site). */
export function availabilityOf(presence: Presence | undefined, site: SiteInfo | undefined): Availability | undefined {
  if (presence?.agentConnected) return 'here'
  if (!site) return undefined
  const { agentsOnline, withinHours } = site.availability
  return agentsOnline && withinHours ? 'online' : 'away'
}
