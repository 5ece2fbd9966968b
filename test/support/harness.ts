import { afterEach, vi } from 'vitest'
import { createChatClient, memoryStorage, type ChatClient, type ChatClientOptions } from '../../src'
import { manualEnvironment } from '../../src/core/util/environment'
import { createChatServer, type ChatServer, type ChatServerOptions } from '../../src/server'

/** Servers and clients made through these helpers are torn down after each test. */
const cleanups: (() => unknown)[] = []

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

export const AGENT_TOKEN = 'test-agent-token'

export async function startServer(options: ChatServerOptions = {}): Promise<ChatServer> {
  const server = await createChatServer({ host: '127.0.0.1', agentToken: AGENT_TOKEN, secret: 'test-secret', ...options })
  cleanups.push(() => server.close())
  return server
}

export type TestClientOptions = Partial<ChatClientOptions> & { url: string }

export function startClient(options: TestClientOptions): ChatClient {
  const client = createChatClient({
    storage: memoryStorage(),
    environment: manualEnvironment(),
    socket: { transports: ['websocket'] },
    backoff: { minMs: 20, maxMs: 200 },
    ...options,
  })
  cleanups.push(() => client.destroy())
  return client
}

export function startAgent(options: TestClientOptions): ChatClient {
  return startClient({ role: 'agent', token: AGENT_TOKEN, name: 'Ayu', ...options })
}

/** A server with a visitor and an agent connected to it: the start of most conversation tests. */
export async function startConversation(
  serverOptions: ChatServerOptions = {},
  agentOptions: Partial<ChatClientOptions> = {},
): Promise<{ server: ChatServer; visitor: ChatClient; agent: ChatClient }> {
  const server = await startServer(serverOptions)
  const visitor = startClient({ url: server.url })
  const agent = startAgent({ url: server.url, ...agentOptions })
  await connected(visitor, agent)
  await startedRoom(server, visitor)
  return { server, visitor, agent }
}

/**
 * Makes the visitor's conversation exist, as its first message would, without a message in it,
 * so that an agent can open it and tests still count seqs from 1. Resolves to the room id.
 */
export async function startedRoom(server: ChatServer, visitor: ChatClient): Promise<string> {
  const user = await eventually(() => visitor.user.get() ?? Promise.reject(new Error('no session yet')))
  const roomId = await eventually(() => visitor.conversation.get()?.roomId ?? Promise.reject(new Error('not joined yet')))
  await server.store.openVisitorConversation(user, roomId, Date.now())
  return roomId
}

/** Retries an assertion until it passes (or the timeout elapses and the last failure is thrown). */
export function eventually<T>(assertion: () => T, timeout = 5000): Promise<T> {
  return vi.waitFor(assertion, { timeout, interval: 10 })
}

export async function connected(...clients: ChatClient[]): Promise<void> {
  await eventually(() => {
    for (const client of clients) if (client.status.get() !== 'connected') throw new Error(`status ${client.status.get()}`)
  })
}

export const texts = (client: ChatClient) => client.messages.get().map((m) => m.text)
