/**
 * A webhook receiver for tests: an HTTP server on a loopback port that records every delivery
 * (headers and raw body) and answers as told (`mode`): `ok` (200), `fail` (500), `hang` (never
 * answers). `kill()` stops it and cuts open connections, as a crashed receiver would;
 * `revive()` listens again on the same port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface Delivery {
  headers: IncomingMessage['headers']
  body: string
  at: number
}

export type ReceiverMode = 'ok' | 'fail' | 'hang'

export interface WebhookReceiver {
  url: string
  port: number
  deliveries: Delivery[]
  mode: ReceiverMode
  /** Decides per delivery instead of `mode` when set. */
  decide?: (delivery: Delivery) => ReceiverMode
  kill(): Promise<void>
  revive(): Promise<void>
  close(): Promise<void>
}

export async function startWebhookReceiver(path = '/hooks/obrolan'): Promise<WebhookReceiver> {
  const deliveries: Delivery[] = []
  const sockets = new Set<Socket>()
  const hanging = new Set<ServerResponse>()
  let server: Server | undefined
  let port = 0
  const receiver: WebhookReceiver = {
    url: '',
    port: 0,
    deliveries,
    mode: 'ok',
    async kill() {
      const closing = server
      server = undefined
      if (!closing) return
      for (const socket of sockets) socket.destroy()
      hanging.clear()
      await new Promise<void>((resolve) => closing.close(() => resolve()))
    },
    async revive() {
      await listen()
    },
    close: () => receiver.kill(),
  }
  async function listen(): Promise<void> {
    server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        const delivery = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() }
        deliveries.push(delivery)
        const mode = receiver.decide?.(delivery) ?? receiver.mode
        if (mode === 'hang') return void hanging.add(res)
        res.statusCode = mode === 'ok' ? 200 : 500
        res.end(mode === 'ok' ? 'thanks' : 'receiver is broken today')
      })
    })
    server.on('connection', (socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
    })
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject)
      server!.listen(port, '127.0.0.1', () => resolve())
    })
    port = (server.address() as AddressInfo).port
    receiver.port = port
    receiver.url = `http://127.0.0.1:${port}${path}`
  }
  await listen()
  return receiver
}
