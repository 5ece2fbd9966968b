import { createServer, connect, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

/**
 * A TCP proxy that can cut every connection through it at once, the way a proxy or a mobile
 * network drops idle or long-lived connections without telling either end.
 */
export class ChaosProxy {
  private readonly server: Server
  private readonly pairs = new Set<[Socket, Socket]>()
  port = 0
  cuts = 0
  connectionsSeen = 0

  constructor(private readonly targetPort: number) {
    this.server = createServer((client) => {
      this.connectionsSeen++
      const upstream = connect(this.targetPort, '127.0.0.1')
      const pair: [Socket, Socket] = [client, upstream]
      this.pairs.add(pair)
      const drop = () => {
        this.pairs.delete(pair)
        client.destroy()
        upstream.destroy()
      }
      client.on('error', drop).on('close', drop)
      upstream.on('error', drop).on('close', drop)
      client.pipe(upstream)
      upstream.pipe(client)
    })
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.port = (this.server.address() as AddressInfo).port
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  /** Destroys every open connection mid-stream; returns how many were cut. */
  cutAll(): number {
    const count = this.pairs.size
    for (const [client, upstream] of this.pairs) {
      client.destroy()
      upstream.destroy()
    }
    this.pairs.clear()
    if (count > 0) this.cuts++
    return count
  }

  async close(): Promise<void> {
    this.cutAll()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
}

/** A small seeded PRNG (mulberry32) so a failing chaos run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
