/**
 * The seam between the client and tab sharing, as types only: a client given `tabs` (from
 * `shareTabs()`) gets its link from it; without, it opens a socket of its own. Code that never
 * shares tabs (an agent's inbox) does not carry the sharing code.
 */
import type { ChatError } from '../errors'
import type { Link } from '../transport/link'
import type { LinkOptions } from '../transport/socket-link'

export interface SharedLinkOptions extends LinkOptions {
  /** Tabs with the same group share a connection: the lock's and the channel's name. */
  group: string
  tabId: string
  /** How long a follower waits for the leader's session before the attempt counts as failed. */
  connectTimeoutMs: number
  reportError(error: ChatError): void
  /** Another tab of the group closed: it may have left unsent messages to take over. */
  tabLeft(): void
}

/** A link shared by the tabs of a group. */
export interface SharedLink extends Link {
  /** The client stops: another tab may lead. */
  stop(): void
  /** The page is going away. */
  leave(): void
  /** The visitor's identity changed: this tab belongs with another group's tabs. */
  regroup(group: string): void
}

declare const opaque: unique symbol

/** What `shareTabs()` returns, for the client's `tabs` option; its inside is the client's business. */
export interface TabSharing {
  readonly [opaque]: 'TabSharing'
}

/** What a `TabSharing` is inside. */
export interface TabLinkFactory {
  createLink(options: SharedLinkOptions): SharedLink
}

export const linkFactoryOf = (sharing: TabSharing): TabLinkFactory => sharing as unknown as TabLinkFactory
export const asTabSharing = (factory: TabLinkFactory): TabSharing => factory as unknown as TabSharing
