/**
 * A TCP load balancer as small as it gets: each new connection goes to the next backend in turn,
 * and a backend that refuses the connection (a dead node) is skipped for the one after it. No
 * health checks and no stickiness, which suits websocket-only clients: one TCP connection is the
 * whole session, so whichever node accepts it serves it until it breaks.
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net'

export class RoundRobinBalancer {
  private readonly server: Server
  private readonly open = new Set<Socket>()
  private next = 0
  port = 0
  /** Connections handed to each backend, by index. */
  readonly accepted: number[]
  /** Connections a backend refused, by index. */
  readonly refused: number[]

  constructor(private readonly backendPorts: readonly number[]) {
    this.accepted = backendPorts.map(() => 0)
    this.refused = backendPorts.map(() => 0)
    this.server = createServer((client) => {
      // Hold what the client sends until a backend takes the connection.
      client.pause()
      this.open.add(client)
      client.once('close', () => this.open.delete(client))
      client.on('error', () => client.destroy())
      const first = this.next
      this.next = (this.next + 1) % backendPorts.length
      this.route(client, first, backendPorts.length)
    })
  }

  private route(client: Socket, index: number, triesLeft: number): void {
    if (triesLeft === 0 || client.destroyed) {
      client.destroy()
      return
    }
    const upstream = connect(this.backendPorts[index] as number, '127.0.0.1')
    const onRefused = (): void => {
      this.refused[index] = (this.refused[index] ?? 0) + 1
      this.route(client, (index + 1) % this.backendPorts.length, triesLeft - 1)
    }
    upstream.once('error', onRefused)
    upstream.once('connect', () => {
      upstream.off('error', onRefused)
      this.accepted[index] = (this.accepted[index] ?? 0) + 1
      this.open.add(upstream)
      const drop = (): void => {
        client.destroy()
        upstream.destroy()
      }
      upstream.on('error', drop).on('close', drop)
      client.on('close', drop)
      client.pipe(upstream)
      upstream.pipe(client)
      client.resume()
    })
    upstream.once('close', () => this.open.delete(upstream))
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.port = (this.server.address() as AddressInfo).port
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  async close(): Promise<void> {
    for (const socket of this.open) socket.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
}
