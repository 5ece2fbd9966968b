/**
 * The Socket.IO v5 packets this client reads and writes, one per engine.io message
 * (https://github.com/socketio/socket.io-protocol): a type digit, an optional ack id, then JSON.
 * Only the default namespace, and only text: our protocol never sends binary, so the binary
 * packet types (5, 6) and raw binary frames are unreadable here, like any malformed packet.
 * socket.io-client would carry a full parser, a namespace multiplexer and a reconnection
 * manager for this; our client needs none of them.
 */

export const CONNECT = 0
export const DISCONNECT = 1
export const EVENT = 2
export const ACK = 3
export const CONNECT_ERROR = 4

export type InboundPacket =
  /** The server accepted the handshake; `data.sid` names the socket. */
  | { type: typeof CONNECT; data: Record<string, unknown> }
  | { type: typeof DISCONNECT }
  /** `data` is `[name, ...args]`; an `id` means the server wants an ack (ours never does). */
  | { type: typeof EVENT; id: number | undefined; data: unknown[] }
  | { type: typeof ACK; id: number | undefined; data: unknown[] }
  /** `data` is `{ message, data }` from a v4+ server, a plain string from older ones. */
  | { type: typeof CONNECT_ERROR; data: unknown }

/** Type digit, ack id digits, JSON. A namespace (`/name,`) never matches: we only use `/`. */
const PACKET = /^([0-4])(\d*)([\s\S]*)$/

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The packet in an engine.io message, or undefined when it is not one this client can read. */
export function decodePacket(message: unknown): InboundPacket | undefined {
  const match = typeof message === 'string' ? PACKET.exec(message) : null
  if (!match) return undefined
  const [, typeDigit, idDigits, json] = match
  let data: unknown
  if (json) {
    try {
      data = JSON.parse(json)
    } catch {
      return undefined
    }
  }
  const id = idDigits ? Number(idDigits) : undefined
  switch (Number(typeDigit)) {
    case CONNECT:
      return isRecord(data) ? { type: CONNECT, data } : undefined
    case DISCONNECT:
      return json ? undefined : { type: DISCONNECT }
    case EVENT:
      // The shape socket.io-parser insists on: a list whose first item names the event.
      return Array.isArray(data) && (typeof data[0] === 'string' || typeof data[0] === 'number') ? { type: EVENT, id, data } : undefined
    case ACK:
      return Array.isArray(data) ? { type: ACK, id, data } : undefined
    default:
      return typeof data === 'string' || isRecord(data) ? { type: CONNECT_ERROR, data } : undefined
  }
}

/** Asks to join the default namespace, carrying the handshake credentials. */
export const connectPacket = (auth: object): string => `${CONNECT}${JSON.stringify(auth)}`

/** An event; with an `ackId` the server answers with an ACK packet of the same id. */
export const eventPacket = (name: string, payload: unknown, ackId?: number): string =>
  `${EVENT}${ackId ?? ''}${JSON.stringify([name, payload])}`

/** Leaves the namespace, so the server sees a client disconnect rather than a lost transport. */
export const disconnectPacket = `${DISCONNECT}`
