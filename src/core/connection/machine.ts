/**
 * The connection state machine as one pure function. The client feeds it events from the
 * socket, the watchdog, the network and the page, and carries out the effects it returns; the
 * function itself touches nothing, so every path through it is a plain unit test.
 */

export type ConnectionStatus = 'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'offline'

/** Why the connection changed; carried on every `status` event. */
export type StatusReason =
  | 'connect_called'
  | 'disconnect_called'
  | 'joined'
  | 'transport_closed'
  | 'connect_error'
  | 'heartbeat_timeout'
  | 'ack_timeout'
  | 'server_closed'
  | 'went_offline'
  | 'came_online'
  | 'page_visible'
  | 'retry_timer'
  | 'unsupported_version'
  | 'credentials_changed'

/** One change of status, as the `status` event carries it. */
export interface StatusChange {
  prev: ConnectionStatus
  next: ConnectionStatus
  reason: StatusReason
}

export interface ConnectionState {
  status: ConnectionStatus
  /** Failed attempts since the last stable connection; drives the backoff delay. */
  attempt: number
  /**
   * Attempts that failed in a row since the link was last up. Unlike `attempt` it ignores how
   * long the last connection lasted: it says whether the server is reachable right now.
   */
  failures: number
}

export type ConnectionEvent =
  | { type: 'start' }
  | { type: 'stop' }
  /** The socket is up and the room is joined: messages can flow. */
  | { type: 'ready' }
  /** The connection stayed up for the minimum uptime: forget earlier failures. */
  | { type: 'stable' }
  | { type: 'lost'; reason: StatusReason }
  /** The server refused us in a way retrying cannot fix. */
  | { type: 'fatal'; reason: StatusReason }
  | { type: 'retry' }
  | { type: 'offline' }
  | { type: 'online' }
  /** The page became visible again after being hidden. */
  | { type: 'wake' }
  /** The credentials changed (identify, new token): reconnect now with the new ones. */
  | { type: 'restart' }

export type ConnectionEffect =
  | { type: 'open' }
  | { type: 'close' }
  | { type: 'schedule_retry'; attempt: number }
  | { type: 'cancel_retry' }
  | { type: 'arm_stable' }
  | { type: 'disarm_stable' }

export interface Transition {
  state: ConnectionState
  effects: ConnectionEffect[]
  reason?: StatusReason
}

export const initialConnectionState: ConnectionState = { status: 'disconnected', attempt: 0, failures: 0 }

const stay = (state: ConnectionState): Transition => ({ state, effects: [] })

export function transition(state: ConnectionState, event: ConnectionEvent): Transition {
  const { status, attempt, failures } = state
  switch (event.type) {
    case 'start':
      if (status !== 'disconnected') return stay(state)
      return { state: { status: 'connecting', attempt: 0, failures: 0 }, effects: [{ type: 'open' }], reason: 'connect_called' }

    case 'stop':
      if (status === 'disconnected') return stay(state)
      return {
        state: { status: 'disconnected', attempt: 0, failures: 0 },
        effects: [{ type: 'cancel_retry' }, { type: 'disarm_stable' }, { type: 'close' }],
        reason: 'disconnect_called',
      }

    case 'ready':
      if (status !== 'connecting' && status !== 'reconnecting') return stay(state)
      return { state: { status: 'connected', attempt, failures: 0 }, effects: [{ type: 'arm_stable' }], reason: 'joined' }

    case 'stable':
      return status === 'connected' ? { state: { ...state, attempt: 0 }, effects: [] } : stay(state)

    case 'lost':
      if (status === 'disconnected' || status === 'offline') return stay(state)
      return {
        state: { status: 'reconnecting', attempt: attempt + 1, failures: status === 'connected' ? 0 : failures + 1 },
        effects: [
          { type: 'disarm_stable' },
          { type: 'close' },
          { type: 'schedule_retry', attempt },
        ],
        reason: event.reason,
      }

    case 'fatal':
      if (status === 'disconnected') return stay(state)
      return {
        state: { status: 'disconnected', attempt: 0, failures: failures + 1 },
        effects: [{ type: 'cancel_retry' }, { type: 'disarm_stable' }, { type: 'close' }],
        reason: event.reason,
      }

    case 'retry':
      if (status !== 'reconnecting') return stay(state)
      return { state, effects: [{ type: 'open' }], reason: 'retry_timer' }

    case 'offline':
      if (status === 'disconnected' || status === 'offline') return stay(state)
      return {
        state: { status: 'offline', attempt, failures },
        effects: [{ type: 'cancel_retry' }, { type: 'disarm_stable' }, { type: 'close' }],
        reason: 'went_offline',
      }

    case 'online':
      // The network is back: try at once rather than wait out a backoff delay.
      if (status !== 'offline') return stay(state)
      return { state: { status: 'reconnecting', attempt: 0, failures }, effects: [{ type: 'open' }], reason: 'came_online' }

    case 'restart':
      if (status === 'disconnected' || status === 'offline') return stay(state)
      return {
        state: { status: 'connecting', attempt: 0, failures: 0 },
        effects: [{ type: 'cancel_retry' }, { type: 'disarm_stable' }, { type: 'open' }],
        reason: 'credentials_changed',
      }

    case 'wake':
      // A tab that slept may have missed its retry timer by minutes; try now.
      if (status !== 'reconnecting') return stay(state)
      return { state: { ...state, attempt: 0 }, effects: [{ type: 'cancel_retry' }, { type: 'open' }], reason: 'page_visible' }
  }
}
