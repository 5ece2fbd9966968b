// Clients for the benchmarks: bare socket.io-client sockets and our createChatClient, all on
// the websocket transport, with in-memory storage; in Node the default environment is always online.
import { io } from 'socket.io-client'
import { PROTOCOL_VERSION, createChatClient, memoryStorage } from '../../dist/index.js'
import { AGENT_TOKEN, until, withTimeout } from './common.mjs'

const TIMEOUT_MS = 20_000

/** A connected bare socket.io-client socket. `options` go to `io()` (e.g. `auth`). */
export function rawSocket(url, options = {}) {
  const socket = io(url, { forceNew: true, transports: ['websocket'], reconnection: false, ...options })
  return withTimeout(
    new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket))
      socket.once('connect_error', (error) => {
        socket.close()
        reject(new Error(`connect ${url}: ${error.message}`))
      })
    }),
    TIMEOUT_MS,
    `a socket to ${url}`,
  )
}

/** Emits with an ack and resolves to the answer; an `{ ok: false }` answer is an error. */
export function request(socket, event, payload, timeoutMs = TIMEOUT_MS) {
  return withTimeout(
    new Promise((resolve, reject) => {
      socket.emit(event, payload, (answer) => {
        if (answer && answer.ok === false) reject(new Error(`${event}: ${answer.error?.code} ${answer.error?.message}`))
        else resolve(answer)
      })
    }),
    timeoutMs,
    `the ack of ${event}`,
  )
}

/**
 * A raw visitor speaking the protocol by hand: handshake, `session`, `join_room`, then a first
 * message, which creates its conversation (protocol v2) so that an agent can join it.
 */
export async function rawVisitor(url) {
  const socket = io(url, {
    forceNew: true,
    transports: ['websocket'],
    reconnection: false,
    auth: { v: PROTOCOL_VERSION, role: 'visitor' },
  })
  const session = await withTimeout(
    new Promise((resolve, reject) => {
      socket.once('session', resolve)
      socket.once('connect_error', (error) => reject(new Error(`visitor handshake: ${error.message}`)))
    }),
    TIMEOUT_MS,
    'a visitor session',
  )
  await request(socket, 'join_room', { roomId: session.roomId, limit: 1 })
  await request(socket, 'send_message', { roomId: session.roomId, clientId: 'first', text: 'hello' })
  return { socket, roomId: session.roomId, user: session.user }
}

/** A raw agent socket (the protocol by hand); joins nothing. */
export async function rawAgent(url) {
  const socket = io(url, { forceNew: true, transports: ['websocket'], reconnection: false, auth: { v: PROTOCOL_VERSION, role: 'agent', token: AGENT_TOKEN } })
  await withTimeout(
    new Promise((resolve, reject) => {
      socket.once('session', resolve)
      socket.once('connect_error', (error) => reject(new Error(`agent handshake: ${error.message}`)))
    }),
    TIMEOUT_MS,
    'an agent session',
  )
  return socket
}

export function chatClient(url, options = {}) {
  return createChatClient({
    url,
    storage: memoryStorage(),
    socket: { transports: ['websocket'] },
    ...options,
  })
}

export function connected(client, timeoutMs = TIMEOUT_MS) {
  return until(client.status, (status) => status === 'connected', timeoutMs, 'status connected')
}

/**
 * A visitor whose conversation exists (protocol v2 creates it with the first message): connected,
 * with a first message sent. Resolves to its room.
 */
export async function startedConversation(visitor) {
  await connected(visitor)
  const roomId = visitor.conversation.get()?.roomId
  if (!roomId) throw new Error('the visitor has no conversation after connecting')
  const first = visitor.send('hello')
  await until(visitor.messages, (list) => list.some((m) => m.clientId === first.clientId && m.status !== 'pending'), TIMEOUT_MS, 'the first message')
  return roomId
}

/** A visitor and an agent who opened the visitor's conversation, both connected. */
export async function chatPair(url, visitorOptions = {}) {
  const visitor = chatClient(url, visitorOptions)
  const agent = chatClient(url, { role: 'agent', token: AGENT_TOKEN })
  try {
    const [roomId] = await Promise.all([startedConversation(visitor), connected(agent)])
    await withTimeout(agent.openConversation(roomId), TIMEOUT_MS, 'the agent opening the conversation')
    return { visitor, agent, roomId, destroy: () => (visitor.destroy(), agent.destroy()) }
  } catch (error) {
    visitor.destroy()
    agent.destroy()
    throw error
  }
}
