/**
 * Files sent with messages travel over HTTP, not the socket: `POST /api/files/:roomId` stores one
 * (then `send_message` names it), `GET /api/files/:roomId/:id` reads one. Both take the sender's
 * own credentials (`requester.ts`); a visitor reaches only its own conversation's files.
 *
 * An upload is idempotent by the message's `clientId`: its file id is made from the uploader, the
 * room and the clientId, and the file store keeps the first copy, so a retry after a cut stores
 * nothing twice. What is stored is what the bytes are (`sniff.ts`), never what the name says.
 * Downloads are always `attachment`, with `nosniff` and a policy that runs nothing, so no file can
 * act as a page of this server.
 */
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { cleanFileName, fileProblem, MAX_ID_LENGTH, type Author } from '../../protocol'
import type { ServerContext } from '../context'
import { ChatError } from '../errors'
import { fileId, FILE_ID, toAttachment, type StoredFile } from '../files/file-store'
import { sniffFile } from '../files/sniff'
import type { OriginPolicy } from '../origin-policy'
import type { RateLimiter } from '../rate-limit'
import { fail, ok, sendJson, type Exchange } from './exchange'
import { AUTH_HEADER, requesterOf, type Requester } from './requester'
import type { Route } from './router'

/** Uploads held in memory at once, across the server; more wait for a moment (503). */
export const MAX_CONCURRENT_UPLOADS = 8

const STATUS: Partial<Record<ChatError['code'], number>> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  too_large: 413,
  unsupported_type: 415,
  rate_limited: 429,
}

/** Answers of files: nothing in them runs, and they are never rendered as a page of this server. */
const FILE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; sandbox",
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'private, max-age=86400',
  Vary: `Origin, Cookie, ${AUTH_HEADER}`,
}

export interface FileRoutesOptions {
  origins: OriginPolicy
  /** Uploads per user. */
  uploadsByUser: RateLimiter<string>
}

export function fileRoutes(ctx: ServerContext, { origins, uploadsByUser }: FileRoutesOptions): Route[] {
  const limits = ctx.uploads
  if (!limits) return []
  let inFlight = 0

  /** Pages on allowed origins may call these (CORS); others are refused, preflight or not. */
  const allowed = (ex: Exchange): boolean => {
    if (!origins.allows(ex.req)) {
      fail(ex, 403, 'Pages on this origin may not use this server', 'forbidden')
      return false
    }
    const origin = origins.corsOrigin(ex.req)
    if (origin !== undefined) ex.headers = { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': 'Retry-After', Vary: 'Origin' }
    if (ex.method !== 'OPTIONS') return true
    sendJson(ex, 204, undefined, {
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers': `Content-Type, ${AUTH_HEADER}`,
      'Access-Control-Max-Age': '600',
    })
    return false
  }

  /** Refusals become their status codes; anything else is the router's (500, logged). */
  const guarded = (handle: (ex: Exchange) => Promise<void>) => async (ex: Exchange) => {
    if (!allowed(ex)) return
    try {
      await handle(ex)
    } catch (error) {
      if (!(error instanceof ChatError) || STATUS[error.code] === undefined) throw error
      const retry = error.retryAfterMs === undefined ? undefined : { 'Retry-After': String(Math.ceil(error.retryAfterMs / 1000)) }
      fail(ex, STATUS[error.code]!, error.message, error.code, retry)
    }
  }

  /** The requester, if it may use this room's files. */
  const authorised = async (ex: Exchange, roomId: string): Promise<Requester> => {
    if (!isRoomId(roomId)) throw new ChatError('bad_request', 'A room id is 1 to 128 characters')
    const requester = await requesterOf(ctx, ex, origins)
    if (requester.user.role === 'visitor' && requester.roomId !== roomId) {
      throw new ChatError('forbidden', 'Visitors may only use their own conversation’s files')
    }
    if (requester.user.role === 'agent' && !(await ctx.store.getConversation(roomId))) throw new ChatError('not_found', `No conversation ${roomId}`)
    return requester
  }

  return [
    {
      methods: ['POST'],
      pattern: /^\/api\/files\/([^/]+)$/,
      handle: guarded(async (ex) => {
        const roomId = ex.params[0] ?? ''
        const { user } = await authorised(ex, roomId)
        const clientId = ex.query.get('clientId') ?? ''
        if (!isRoomId(clientId)) throw new ChatError('bad_request', 'clientId (the message’s, 1 to 128 characters) is required')
        const name = cleanFileName(ex.query.get('name') ?? '')
        const claimed = ex.req.headers['content-type'] ?? ''
        const declared = Number(ex.req.headers['content-length'] ?? Number.NaN)
        const problem = fileProblem({ name, type: claimed, size: Number.isFinite(declared) ? declared : 1 }, limits)
        // The type is decided by the content; only the size can be refused before reading it.
        if (problem?.code === 'too_large') throw new ChatError(problem.code, problem.message)
        const allowance = uploadsByUser.take(user.id)
        if (!allowance.ok) throw new ChatError('rate_limited', `Too many files; try again in ${Math.ceil(allowance.retryAfterMs / 1000)} s`, allowance.retryAfterMs)
        if (inFlight >= MAX_CONCURRENT_UPLOADS) throw new ChatError('rate_limited', 'The server is busy receiving other files; try again in a moment', 2000)
        inFlight++
        try {
          const bytes = await readBody(ex, limits.maxBytes, name)
          if (!bytes) return
          const file = await checkedFile(bytes, name, claimed, user, roomId, clientId, limits.types, ctx.now())
          const { file: stored, created } = await ctx.files.put(file, bytes)
          if (created) ctx.logger.debug({ roomId, id: stored.id, type: stored.type, size: stored.size, by: user.id }, 'stored a file')
          ok(ex, created ? 'Stored' : 'Stored before', { attachment: toAttachment(stored) })
        } finally {
          inFlight--
        }
      }),
    },
    {
      methods: ['GET'],
      pattern: /^\/api\/files\/([^/]+)\/([^/]+)$/,
      handle: guarded(async (ex) => {
        const [roomId = '', id = ''] = ex.params
        await authorised(ex, roomId)
        const opened = FILE_ID.test(id) ? await ctx.files.open(roomId, id) : undefined
        if (!opened) throw new ChatError('not_found', 'No such file (it may have been deleted with its message)')
        const { file, body } = opened
        const { res } = ex
        res.statusCode = 200
        for (const [header, value] of Object.entries({ ...ex.headers, ...FILE_HEADERS })) res.setHeader(header, value)
        res.setHeader('Content-Type', file.type.startsWith('text/') ? `${file.type}; charset=utf-8` : file.type)
        res.setHeader('Content-Length', String(file.size))
        res.setHeader('Content-Disposition', attachmentDisposition(file.name))
        if (ex.method === 'HEAD') {
          res.end()
          return
        }
        try {
          await pipeline(Readable.from(body), res)
        } catch (error) {
          // The reader went away mid-file: nothing to answer, nothing wrong here.
          if (!res.destroyed) throw error
        }
      }),
    },
  ]
}

function isRoomId(value: string): boolean {
  return value.length >= 1 && value.length <= MAX_ID_LENGTH
}

/** The body, up to `maxBytes`; undefined when the client went away before sending all of it. */
async function readBody(ex: Exchange, maxBytes: number, name: string): Promise<Uint8Array | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of ex.req as AsyncIterable<Buffer>) {
      size += chunk.length
      if (size > maxBytes) throw new ChatError('too_large', `${name} is larger than the limit of ${maxBytes} bytes`)
      chunks.push(chunk)
    }
  } catch (error) {
    if (error instanceof ChatError) throw error
    // A cut connection: nobody is left to answer, and the client sends the file again.
    if (ex.req.destroyed) return undefined
    throw error
  }
  if (size === 0) throw new ChatError('bad_request', `${name} is empty`)
  return Buffer.concat(chunks, size)
}

async function checkedFile(
  bytes: Uint8Array,
  name: string,
  claimed: string,
  user: Author,
  roomId: string,
  clientId: string,
  types: readonly string[],
  now: number,
): Promise<StoredFile> {
  const sniffed = await sniffFile(bytes, name, claimed, types)
  if ('code' in sniffed) throw new ChatError(sniffed.code, sniffed.message)
  return { ...sniffed, id: fileId(user.id, roomId, clientId), size: bytes.length, roomId, uploadedBy: user.id, uploadedAt: now }
}

/** `attachment`, with the name for every browser: plain ASCII, and RFC 5987 UTF-8. */
function attachmentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`
}
