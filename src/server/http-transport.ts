/**
 * The http server underneath socket.io and the REST routes: either our own (listens, and on close
 * lets go of the port and every connection) or someone else's (attached to, and detached from on
 * close, leaving it as it was).
 */
import { createServer } from 'node:http'
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http'
import type { AddressInfo, Socket as NetSocket } from 'node:net'
import type { ChatIo } from './context'
import type { HttpRoutes } from './http/router'

/** How long a client may take to send a request's headers. */
export const HEADERS_TIMEOUT_MS = 10_000

export interface Transport {
  server: HttpServer
  close(): Promise<void>
}

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void

/** Our own http server: listens now, and on close lets go of the port and every connection. */
export async function own(io: ChatIo, routes: RequestListener, port: number, host: string | undefined): Promise<Transport> {
  // A connection that never finishes its request headers is dropped after 10 s, checked every 2 s
  // (Node's defaults, 60 s checked every 30 s, held an idle TCP connection for up to 90 s).
  const server = createServer({ headersTimeout: HEADERS_TIMEOUT_MS, connectionsCheckingInterval: 2000 }, routes)
  // Upgraded (websocket) connections are invisible to closeAllConnections, so track them all.
  const connections = new Set<NetSocket>()
  server.on('connection', (socket) => {
    connections.add(socket)
    socket.once('close', () => connections.delete(socket))
  })
  io.attach(server)

  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error): void => {
      server.off('listening', succeed)
      reject(error)
    }
    const succeed = (): void => {
      server.off('error', fail)
      resolve()
    }
    server.once('error', fail)
    server.once('listening', succeed)
    server.listen(port, host)
  }).catch(async (error: unknown) => {
    await io.close()
    throw error
  })

  return {
    server,
    async close() {
      // Stop accepting first; the callback fires once the last connection is gone.
      const released = new Promise<void>((resolve) => server.close(() => resolve()))
      // io.close() drops every socket now and then waits for the same 'close' as above, so the
      // connections must be cut without awaiting it, or a client slow to answer a websocket close
      // frame (or a parked long-poll) would hold the port.
      const ioClosed = io.close()
      server.closeAllConnections()
      for (const socket of connections) socket.destroy()
      await Promise.all([released, ioClosed])
    },
  }
}

/**
 * Someone else's http server: socket.io and the REST routes go in front of its own request
 * listeners (which then see every other request, socket.io's path excepted), and on close every
 * listener added is removed and the ones taken over are given back, leaving the server as it was.
 * `io.close()` would close the server itself, so it is not used here.
 */
export function borrow(server: HttpServer, io: ChatIo, routes: HttpRoutes): Transport {
  const events = ['request', 'upgrade', 'close', 'listening'] as const
  const before = new Map(events.map((event) => [event, server.listeners(event)]))
  io.attach(server)
  // Two listeners answering one request would write headers twice and throw, so ours decide
  // first and pass on only what they do not answer.
  const rest = server.listeners('request') as RequestListener[]
  server.removeAllListeners('request')
  server.on('request', (req, res) => {
    if (!routes(req, res)) for (const listener of rest) listener.call(server, req, res)
  })
  const after = new Map(events.map((event) => [event, server.listeners(event)]))

  return {
    server,
    async close() {
      io.disconnectSockets(true)
      io.engine.close()
      await io.of('/').adapter.close()
      for (const event of events) {
        const was = before.get(event) ?? []
        const now = after.get(event) ?? []
        for (const listener of now) if (!was.includes(listener)) server.off(event, listener as never)
        // engine.io moved the original request listeners inside its own; they go back in front.
        const taken = was.filter((listener) => !now.includes(listener))
        for (const listener of taken.reverse()) server.prependListener(event, listener as never)
      }
    },
  }
}

export function listeningPort(server: HttpServer): number {
  const address = server.address()
  return address !== null && typeof address === 'object' ? (address as AddressInfo).port : 0
}

export function listeningAddress(server: HttpServer): string | undefined {
  const address = server.address()
  return address !== null && typeof address === 'object' ? (address as AddressInfo).address : undefined
}

export function urlHost(host: string | undefined): string {
  if (host === undefined || host === '' || host === '0.0.0.0' || host === '::') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}
