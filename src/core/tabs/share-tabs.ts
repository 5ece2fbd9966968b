/**
 * `shareTabs()`: one connection for all tabs of a visitor, for the client's `tabs` option (the
 * widget turns it on). Undefined where the page has no BroadcastChannel or Web Locks: each tab
 * then keeps a connection of its own.
 */
import { browserTabs, type TabCoordination } from './tab-coordination'
import { TabLink } from './tab-link'
import { asTabSharing, type TabSharing } from './tab-sharing'

export function shareTabs(coordination: TabCoordination | undefined = browserTabs()): TabSharing | undefined {
  if (!coordination) return undefined
  return asTabSharing({ createLink: (options) => new TabLink({ ...options, tabs: coordination }) })
}
