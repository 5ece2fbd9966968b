/**
 * What a site tells its visitors about itself: whether the team can answer now (agents online,
 * business hours), what to ask a visitor before the first message (the pre-chat form) and while
 * nobody can answer (an e-mail address), and what a visitor has told the team about itself.
 */

/** Whether someone can answer now; sent in `session` and again (`availability_update`) when it changes. */
export interface Availability {
  /** At least one agent has the inbox open. */
  agentsOnline: boolean
  /** Inside the site's business hours (always true for a site without business hours). */
  withinHours: boolean
  /** Outside business hours: when they next begin (ms since the epoch). */
  opensAt?: number
}

/** How a form field is asked for: not at all (absent), or optional, or required. */
export type FieldRequirement = 'optional' | 'required'

/** A field of the pre-chat form the site configured besides name and e-mail. */
export interface PreChatField {
  /** `[a-z][a-z0-9_-]*`, at most 32 characters: the key of its answer in `VisitorContact.fields`. */
  id: string
  /** Shown as is, in the site's language (at most 80 characters). */
  label: string
  required: boolean
  /** A choice among these (at most 20, each at most 80 characters); a free text field without. */
  options?: string[]
}

/** Asked before the first message. */
export interface PreChatForm {
  name?: FieldRequirement
  email?: FieldRequirement
  fields: PreChatField[]
}

/** The site's settings a visitor's widget follows; in `session` for visitors. */
export interface SiteInfo {
  availability: Availability
  /** While nobody can answer, ask for an e-mail address to reply to: not at all, or optional, or required. */
  awayEmail: 'off' | FieldRequirement
  /** How soon a reply usually comes while agents are online, in minutes, if the site says. */
  replyMinutes?: number
  preChatForm?: PreChatForm
}

/** What a visitor told the team about itself (the pre-chat form, the away e-mail). Not verified. */
export interface VisitorContact {
  name?: string
  email?: string
  /** Answers to the site's custom fields, by field id. */
  fields?: Record<string, string>
}
