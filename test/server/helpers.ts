/**
 * A harness for driving the real server with raw socket.io clients. Every server and socket made
 * through it is closed after each test, so a failing test cannot leak into the next.
 */
import { afterEach } from 'vitest'
import { io } from 'socket.io-client'
import type { Socket } from 'socket.io-client'
import { createChatServer } from '../../src/server'
import type { ChatServer, ChatServerOptions } from '../../src/server'
import type { ClientToServerEvents, HandshakeAuth, ServerToClientEvents, SessionInfo } from '../../src/protocol'

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>

export interface Client {
  socket: ClientSocket
  session: SessionInfo
}

export interface ConnectError extends Error {
  data?: { code: string; message: string }
}

const UNLIMITED = { perSecond: 1e6, burst: 1e6 }
export const NO_RATE_LIMITS = { message: UNLIMITED, typing: UNLIMITED, room: UNLIMITED, receipt: UNLIMITED, newVisitor: UNLIMITED, upload: UNLIMITED }

export const AGENT_TOKEN = 'test-agent-token'
export const AGENT_AUTH: HandshakeAuth = { v: 2, role: 'agent', token: AGENT_TOKEN }
export const VISITOR_AUTH: HandshakeAuth = { v: 2, role: 'visitor' }

export function useHarness() {
  const servers: ChatServer[] = []
  const sockets: ClientSocket[] = []

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect()
    await Promise.all(servers.splice(0).map((server) => server.close()))
  })

  async function start(options: ChatServerOptions = {}): Promise<ChatServer> {
    // Floods of requests are what these tests are made of; rate limits have their own test.
    const server = await createChatServer({ host: '127.0.0.1', port: 0, rateLimits: NO_RATE_LIMITS, agentToken: AGENT_TOKEN, ...options })
    servers.push(server)
    return server
  }

  function open(server: { url: string }, auth: unknown, headers: Record<string, string> = {}): ClientSocket {
    const socket: ClientSocket = io(server.url, {
      auth: auth as Record<string, unknown>,
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders: headers,
    })
    sockets.push(socket)
    return socket
  }

  /** Connects and resolves with the `session` the server sends first. */
  function connect(server: { url: string }, auth: unknown): Promise<Client> {
    return connectWith(server, auth, {})
  }

  /** Connects with these request headers (as a proxy in front would add them). */
  function connectWith(server: { url: string }, auth: unknown, headers: Record<string, string>): Promise<Client> {
    const socket = open(server, auth, headers)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no session within 2s')), 2000)
      socket.once('session', (session) => {
        clearTimeout(timer)
        resolve({ socket, session })
      })
      socket.once('connect_error', (error) => {
        clearTimeout(timer)
        reject(error)
      })
    })
  }

  /** Connects expecting a refusal and resolves with it. */
  function refused(server: { url: string }, auth: unknown): Promise<ConnectError> {
    const socket = open(server, auth)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('neither refused nor connected within 2s')), 2000)
      socket.once('connect_error', (error) => {
        clearTimeout(timer)
        resolve(error as ConnectError)
      })
      socket.once('session', () => {
        clearTimeout(timer)
        reject(new Error('connection was accepted'))
      })
    })
  }

  /**
   * A visitor that has connected and joined its own room, whose conversation exists (as after a
   * first message, but with no message in it, so tests count seqs from 1).
   */
  async function visitor(server: ChatServer, auth: unknown = VISITOR_AUTH): Promise<Client & { roomId: string }> {
    const client = await connect(server, auth)
    const roomId = client.session.roomId
    if (!roomId) throw new Error('visitor session has no roomId')
    await server.store.openVisitorConversation(client.session.user, roomId, Date.now())
    const joined = await request(client.socket, 'join_room', { roomId })
    if (!joined.ok) throw new Error(`join failed: ${joined.error.code}`)
    return { ...client, roomId }
  }

  /** An agent that has connected and, if given a room, joined it. */
  async function agent(server: ChatServer, roomId?: string): Promise<Client> {
    const client = await connect(server, AGENT_AUTH)
    if (roomId) {
      const joined = await request(client.socket, 'join_room', { roomId })
      if (!joined.ok) throw new Error(`join failed: ${joined.error.code}`)
    }
    return client
  }

  return { start, open, connect, connectWith, refused, visitor, agent }
}

type AckOf<K extends keyof ClientToServerEvents> = Parameters<NonNullable<Parameters<ClientToServerEvents[K]>[1]>>[0]

/** Emits a request and resolves with its ack; fails the test if none comes within 2 s. */
export function request<K extends keyof ClientToServerEvents>(
  socket: ClientSocket,
  event: K,
  payload: Parameters<ClientToServerEvents[K]>[0],
): Promise<AckOf<K>> {
  return rawRequest(socket, event, payload) as Promise<AckOf<K>>
}

/** Emits anything at all under an event name, with an ack callback, and resolves with the ack. */
export function rawRequest(socket: ClientSocket, event: string, ...args: unknown[]): Promise<unknown> {
  const untyped = socket as unknown as { timeout(ms: number): { emit(ev: string, ...rest: unknown[]): void } }
  return new Promise((resolve, reject) => {
    untyped.timeout(2000).emit(event, ...args, (error: Error | null, ack: unknown) => {
      if (error) reject(new Error(`no ack for ${event}`))
      else resolve(ack)
    })
  })
}

/** Emits without an ack callback. */
export function rawEmit(socket: ClientSocket, event: string, ...args: unknown[]): void {
  ;(socket as unknown as { emit(ev: string, ...rest: unknown[]): void }).emit(event, ...args)
}

/** Resolves with the next `event` on the socket (optionally the next one matching). */
export function nextEvent<K extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: K,
  matches: (payload: Parameters<ServerToClientEvents[K]>[0]) => boolean = () => true,
  timeoutMs = 2000,
): Promise<Parameters<ServerToClientEvents[K]>[0]> {
  const untyped = socket as unknown as {
    on(ev: string, fn: (payload: never) => void): void
    off(ev: string, fn: (payload: never) => void): void
  }
  return new Promise((resolve, reject) => {
    const listener = (payload: Parameters<ServerToClientEvents[K]>[0]): void => {
      if (!matches(payload)) return
      clearTimeout(timer)
      untyped.off(event, listener)
      resolve(payload)
    }
    const timer = setTimeout(() => {
      untyped.off(event, listener)
      reject(new Error(`no ${event} within ${timeoutMs}ms`))
    }, timeoutMs)
    untyped.on(event, listener)
  })
}

/** Records every `event` the socket receives from now on. */
export function record<K extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: K,
): Parameters<ServerToClientEvents[K]>[0][] {
  const seen: Parameters<ServerToClientEvents[K]>[0][] = []
  ;(socket as unknown as { on(ev: string, fn: (payload: never) => void): void }).on(event, (payload: never) => {
    seen.push(payload)
  })
  return seen
}

/**
 * Waits until the socket has surely received everything sent to it before this call: the server
 * answers a request only after broadcasts it made earlier, and socket.io keeps order per socket.
 */
export async function settle(socket: ClientSocket): Promise<void> {
  await rawRequest(socket, 'list_conversations', {})
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
