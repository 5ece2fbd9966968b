/**
 * One HTTP request and its answer, the way every route sees it: the path and query parsed once,
 * JSON bodies read with a size limit, answers in the `{ success, message, data | error }` envelope
 * the status routes have always used, cookies read and set.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

export interface Exchange {
  req: IncomingMessage
  res: ServerResponse
  method: string
  path: string
  query: URLSearchParams
  /** Path parameters captured by the route's pattern. */
  params: string[]
  /** Extra headers every answer of this exchange gets (CORS). */
  headers: Record<string, string>
}

export function exchangeOf(req: IncomingMessage, res: ServerResponse): Exchange {
  const url = new URL(req.url ?? '/', 'http://placeholder')
  return { req, res, method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, params: [], headers: {} }
}

export function sendJson(ex: Exchange, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
  const { res } = ex
  if (res.headersSent) return
  res.statusCode = status
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.setHeader('Cache-Control', 'no-store')
  for (const [name, value] of Object.entries({ ...ex.headers, ...extraHeaders })) res.setHeader(name, value)
  res.end(status === 204 || ex.method === 'HEAD' ? undefined : JSON.stringify(body))
}

export const ok = (ex: Exchange, message: string, data: unknown, headers?: Record<string, string>): void =>
  sendJson(ex, 200, { success: true, message, data }, headers)

export const fail = (ex: Exchange, status: number, message: string, error: string, headers?: Record<string, string>): void =>
  sendJson(ex, status, { success: false, message, error }, headers)

/** Largest JSON body accepted by the API routes. */
export const MAX_JSON_BYTES = 16 * 1024

export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message)
  }
}

/** The request's JSON object body; refuses other content types, oversize bodies and non-objects. */
export async function readJson(ex: Exchange): Promise<Record<string, unknown>> {
  const type = ex.req.headers['content-type'] ?? ''
  if (!/^application\/json\b/i.test(type)) throw new BodyError(415, 'Send the body as application/json')
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of ex.req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_JSON_BYTES) throw new BodyError(413, `The body is larger than ${MAX_JSON_BYTES} bytes`)
    chunks.push(chunk)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new BodyError(400, 'The body is not valid JSON')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new BodyError(400, 'The body must be a JSON object')
  return parsed as Record<string, unknown>
}

export function readCookie(ex: Exchange, name: string): string | undefined {
  for (const part of (ex.req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=')
    if (at !== -1 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim())
  }
  return undefined
}
