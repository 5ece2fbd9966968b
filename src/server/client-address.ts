/**
 * The address a request came from, for limits per client. Behind a reverse proxy every request
 * comes from the proxy, which names the client in `X-Forwarded-For`; only the entries the trusted
 * proxies appended can be believed (a client can send the header too), so with `trustProxy: n`
 * the address is the n-th entry from the right.
 */
import type { IncomingHttpHeaders } from 'node:http'

/** `false`: no proxy, the socket's address. `true`: one proxy. A number: that many proxies in a row. */
export type TrustProxy = boolean | number

export function checkTrustProxy(value: TrustProxy): number {
  const hops = value === true ? 1 : value === false ? 0 : value
  if (!Number.isInteger(hops) || hops < 0) throw new RangeError(`trustProxy must be true, false or a number of proxies (0 or more); got ${String(value)}`)
  return hops
}

export function clientAddress(remoteAddress: string | undefined, headers: IncomingHttpHeaders, proxyHops: number): string {
  const socketAddress = remoteAddress ?? 'unknown'
  if (proxyHops === 0) return socketAddress
  const header = headers['x-forwarded-for']
  const forwarded = (Array.isArray(header) ? header.join(',') : header ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
  return forwarded[forwarded.length - proxyHops] ?? forwarded[0] ?? socketAddress
}
