/**
 * The link a client gets: a socket of its own, or, for a visitor given `tabs` (`shareTabs()`), the
 * tab link (its own socket while it leads, the leader's otherwise).
 */
import type { VisitorIdentity } from '../../protocol'
import type { ChatError } from '../errors'
import type { ResolvedOptions } from '../options'
import type { Link } from '../transport/link'
import { SocketLink, type LinkOptions } from '../transport/socket-link'
import { randomId } from '../util/ids'
import { linkFactoryOf, type SharedLink } from './tab-sharing'

/** Tabs of one visitor (one storage key, one identity) share a connection: the group is their lock's name. */
export function tabGroup(storageKey: string, identity: VisitorIdentity | undefined): string {
  return `${storageKey}:tabs:${identity?.userId ?? ''}`
}

export interface LinkHooks {
  reportError(error: ChatError): void
  /** Another tab closed (tabs sharing a connection only). */
  tabLeft(): void
}

export function createLink(options: ResolvedOptions, linkOptions: LinkOptions, hooks: LinkHooks): { link: Link; tabLink: SharedLink | undefined } {
  if (!options.tabs) return { link: new SocketLink(linkOptions), tabLink: undefined }
  const tabLink = linkFactoryOf(options.tabs).createLink({
    ...linkOptions,
    group: tabGroup(options.storageKey, options.identity),
    tabId: randomId(options.clock.random),
    connectTimeoutMs: options.socket?.timeout ?? 20_000,
    ...hooks,
  })
  return { link: tabLink, tabLink }
}
