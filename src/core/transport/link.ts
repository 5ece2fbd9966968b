/**
 * What the client's parts need of "the connection to the server": the socket of this tab
 * (`SocketLink`) or, when tabs share one, the leader tab's socket seen from this tab
 * (`tabs/tab-link.ts`). Requests and notifications go out on the current link; its generation
 * changes whenever the link underneath does, so answers from an older one are recognised.
 */
import type { SessionInfo } from '../../protocol'
import type { AckOf, NotificationName, RequestName, RequestOf } from './requests'

export interface Link {
  /** Counts links: whatever was sent or started on another generation belongs to a dead one. */
  readonly generation: number
  /** What the server said about this connection, once it has; undefined while there is none. */
  readonly session: SessionInfo | undefined
  open(): void
  close(): void
  request<K extends RequestName>(event: K, payload: RequestOf<K>): Promise<AckOf<K>>
  notify<K extends NotificationName>(event: K, payload: RequestOf<K>): void
}
