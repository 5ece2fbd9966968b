import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server, type Socket } from 'socket.io'
import { afterEach } from 'vitest'
import type { SessionInfo, WireMessage } from '../../src/protocol'

type Handler = (payload: unknown, ack: ((value: unknown) => void) | undefined, socket: Socket) => void

export interface FakeServer {
  url: string
  io: Server
  /** Every event received, in order. */
  received: { event: string; payload: unknown }[]
  /** Replace to change how the server answers an event; unanswered events get no ack. */
  handlers: Record<string, Handler>
  /** What `session` says on the next connection; `undefined` sends no session at all. */
  session: SessionInfo | undefined | unknown
  sockets(): Socket[]
  close(): Promise<void>
}

const servers: FakeServer[] = []
afterEach(async () => {
  while (servers.length) await servers.pop()!.close()
})

export const emptyConversation = (roomId: string) => ({
  roomId,
  visitor: { id: 'v1', role: 'visitor' },
  status: 'open',
  lastSeq: 0,
  lastChangeSeq: 0,
  watermarks: { visitor: { delivered: 0, read: 0 }, agent: { delivered: 0, read: 0 } },
  unread: { visitor: 0, agent: 0 },
  presence: { users: {}, visitorConnected: true, agentConnected: false, totalVisitor: 1, totalAgent: 0 },
  createdAt: 1,
  updatedAt: 1,
})

/** An agent's message in the fake server's room, as the server would send it. */
export const agentMessage = (seq: number, extra: Partial<WireMessage> = {}): WireMessage => ({
  id: `m${seq}`,
  clientId: `c${seq}`,
  roomId: 'room-1',
  seq,
  author: { id: 'agent', role: 'agent' },
  text: `agent ${seq}`,
  createdAt: seq,
  ...extra,
})

/**
 * A scriptable socket.io server that speaks just enough of the protocol for the client to
 * connect, and lets a test break any part of it: drop acks, send garbage, go silent.
 */
export async function startFakeServer(): Promise<FakeServer> {
  const http = createServer()
  const io = new Server(http)
  const fake: FakeServer = {
    url: '',
    io,
    received: [],
    session: {
      user: { id: 'v1', role: 'visitor' },
      visitorToken: 'token',
      roomId: 'room-1',
      heartbeatMs: 60_000,
      maxTextLength: 4000,
    } satisfies SessionInfo,
    handlers: {
      join_room: (_payload, ack) =>
        ack?.({ ok: true, conversation: emptyConversation('room-1'), messages: [], hasMore: false, hasOlder: false }),
    },
    sockets: () => [...io.sockets.sockets.values()],
    close: () =>
      new Promise<void>((resolve) => {
        io.close(() => resolve())
        http.closeAllConnections()
      }),
  }
  io.on('connection', (socket) => {
    socket.onAny((event: string, payload: unknown, ack?: unknown) => {
      fake.received.push({ event, payload })
      fake.handlers[event]?.(payload, typeof ack === 'function' ? (ack as (v: unknown) => void) : undefined, socket)
    })
    if (fake.session !== undefined) socket.emit('session', fake.session)
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  fake.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  servers.push(fake)
  return fake
}
