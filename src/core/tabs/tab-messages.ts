/**
 * What tabs sharing a connection say to each other over their channel. Followers ask the leader
 * for the session (`hello`), send requests and notifications through it; the leader answers,
 * passes on everything the server sends (`session`, `broadcast`, `lost`), says when it took over
 * (`leader`) and when it leaves (`bye`); a follower says when it leaves (`gone`). Every message names the tab it is from or for.
 */
import type { SessionInfo } from '../../protocol'
import type { StatusReason } from '../connection/machine'
import type { Broadcast } from '../transport/socket-link'

export type TabMessage =
  | { t: 'hello'; from: string }
  | { t: 'request'; from: string; id: number; event: string; payload: unknown }
  | { t: 'notify'; from: string; event: string; payload: unknown }
  | { t: 'leader'; leader: string }
  | { t: 'bye'; leader: string }
  /** A follower tab closes: what it left unsent can be taken over now. */
  | { t: 'gone'; from: string }
  /** `epoch` counts the leader's sockets: a session with another epoch is another socket. */
  | { t: 'session'; leader: string; epoch: number; info: SessionInfo; to?: string }
  | { t: 'lost'; leader: string; epoch: number; reason: StatusReason }
  | { t: 'answer'; to: string; id: number; ack?: unknown; error?: { code: string; message: string } }
  | { t: 'broadcast'; leader: string; event: Broadcast; except?: string }

const KINDS = new Set(['hello', 'request', 'notify', 'leader', 'bye', 'gone', 'session', 'lost', 'answer', 'broadcast'])

/** Only the shape that routes a message; payloads are checked by whoever acts on them. */
export function isTabMessage(value: unknown): value is TabMessage {
  return typeof value === 'object' && value !== null && KINDS.has((value as { t?: unknown }).t as string)
}
