/**
 * The REST API at /api/v1 (README "REST API"): for other servers, with an API key
 * (`Authorization: Bearer obk_…`). Every request is authenticated, held to the key's scope and
 * rate limit, and validated before its handler runs; every answer is the `{ success, message,
 * data }` envelope, every refusal `{ success: false, message, error }` with its status code. No
 * CORS header is ever sent: a key belongs on a server, not in a web page.
 */
import * as v from 'valibot'
import { toJsonSchema } from '@valibot/to-json-schema'
import { schemas } from '../../protocol'
import type { ApiKey } from '../accounts/types'
import type { ServerContext } from '../context'
import { toWireError } from '../errors'
import { BodyError, fail, readJson, sendJson, type Exchange } from '../http/exchange'
import type { Route } from '../http/router'
import type { ApiKeys } from '../integrations/api-keys'
import type { RateLimiter } from '../rate-limit'
import { IdempotencyConflict } from '../writes/messages'
import { ApiError, type Operation } from './operation'

export const API_BASE = '/api/v1'

export interface ApiRoutesOptions {
  apiKeys: ApiKeys
  operations: readonly Operation[]
  /** Requests per key. */
  perKey: RateLimiter<string>
  /** Requests with a missing or wrong key, per client address. */
  refusedPerAddress: RateLimiter<string>
  /** The OpenAPI document, served without a key. */
  openApi: () => object
}

const STATUS_OF_CODE: Record<string, ApiError['status']> = {
  bad_request: 422,
  too_long: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  rate_limited: 429,
}

export function apiRoutes(ctx: ServerContext, options: ApiRoutesOptions): Route[] {
  const byPath = new Map<string, Operation[]>()
  for (const operation of options.operations) byPath.set(operation.path, [...(byPath.get(operation.path) ?? []), operation])
  const routes: Route[] = [...byPath].map(([path, operations]) => ({
    methods: operations.map((operation) => operation.method),
    pattern: patternOf(path),
    handle: (ex) => answer(ex, () => run(ctx, options, ex, path, operations)),
  }))
  routes.unshift({
    methods: ['GET'],
    pattern: new RegExp(`^${API_BASE}/openapi\\.json$`),
    handle(ex) {
      sendJson(ex, 200, options.openApi(), { 'Cache-Control': 'no-cache' })
    },
  })
  // Any other path under the API: the envelope's 404, also on a server that leaves other paths to its host.
  routes.push({
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    pattern: new RegExp(`^${API_BASE}(/.*)?$`),
    handle: (ex) => fail(ex, 404, `No route for ${ex.method} ${ex.path}`, 'not_found'),
  })
  return routes
}

/** `/conversations/{roomId}` → `^/api/v1/conversations/([^/]+)$`. */
function patternOf(path: string): RegExp {
  return new RegExp(`^${API_BASE}${path.replace(/\{[^}]+\}/g, '([^/]+)')}$`)
}

async function answer(ex: Exchange, work: () => Promise<void>): Promise<void> {
  try {
    await work()
  } catch (error) {
    const refusal = asApiError(error)
    if (!refusal) throw error
    fail(ex, refusal.status, refusal.message, refusal.code, refusal.headers)
  }
}

function asApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error
  if (error instanceof BodyError) return new ApiError(error.status, error.status === 413 ? 'too_large' : error.status === 415 ? 'unsupported_media_type' : 'bad_request', error.message)
  if (error instanceof IdempotencyConflict) return new ApiError(409, 'conflict', 'This Idempotency-Key was used for another message')
  // ChatErrors keep their code; a missing record (NotFoundError) is a 404; anything else is the router's 500.
  const wire = toWireError(error)
  const status = STATUS_OF_CODE[wire.code]
  if (!status) return undefined
  return new ApiError(status, wire.code, wire.message, wire.retryAfterMs !== undefined ? { 'Retry-After': String(Math.ceil(wire.retryAfterMs / 1000)) } : {})
}

async function run(ctx: ServerContext, options: ApiRoutesOptions, ex: Exchange, path: string, operations: readonly Operation[]): Promise<void> {
  if (ex.method === 'OPTIONS') return sendJson(ex, 204, undefined, { Allow: [...operations.map((o) => o.method), 'OPTIONS'].join(', ') })
  const operation = operations.find((candidate) => candidate.method === (ex.method === 'HEAD' ? 'GET' : ex.method))!
  const key = await authenticate(ctx, options, ex)
  if (!key.scopes.includes(operation.scope)) throw new ApiError(403, 'forbidden', `This key may not ${operation.scope}: its scopes are ${key.scopes.join(', ')}`)
  const allowed = options.perKey.take(key.id)
  if (!allowed.ok) {
    const seconds = Math.ceil(allowed.retryAfterMs / 1000)
    throw new ApiError(429, 'rate_limited', `Too many requests with this key; try again in ${seconds} s`, { 'Retry-After': String(seconds) })
  }
  const names = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!)
  const params = Object.fromEntries(names.map((name, i) => [name, ex.params[i] ?? '']))
  for (const [name, schema] of Object.entries(operation.params ?? {})) checked(schema, params[name], name)
  const query = operation.query ? checked(operation.query, queryObject(ex.query, operation.query), 'query') : {}
  const body = operation.body ? checked(operation.body, await readJson(ex), 'body') : {}
  const result = await operation.handle({ key, params, query: query as Record<string, unknown>, body: body as Record<string, unknown>, headers: ex.req.headers })
  sendJson(ex, result.status ?? 200, { success: true, message: result.message, data: result.data }, result.headers)
}

async function authenticate(ctx: ServerContext, options: ApiRoutesOptions, ex: Exchange): Promise<ApiKey> {
  const header = ex.req.headers.authorization ?? ''
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1]
  const key = token === undefined ? undefined : await options.apiKeys.authenticate(token)
  if (key) return key
  const address = ctx.clientAddress(ex.req.socket.remoteAddress, ex.req.headers)
  const allowed = options.refusedPerAddress.take(address)
  if (!allowed.ok) {
    const seconds = Math.ceil(allowed.retryAfterMs / 1000)
    throw new ApiError(429, 'rate_limited', `Too many refused keys from this address; try again in ${seconds} s`, { 'Retry-After': String(seconds) })
  }
  const why = token === undefined ? 'Send an API key: Authorization: Bearer obk_…' : 'This API key is unknown or revoked'
  throw new ApiError(401, 'unauthorized', why, { 'WWW-Authenticate': 'Bearer' })
}

function checked<T>(schema: v.GenericSchema<T>, value: unknown, what: string): T {
  const result = v.safeParse(schema, value)
  if (!result.success) throw new ApiError(422, 'bad_request', `${what === 'body' || what === 'query' ? '' : `${what}: `}${schemas.describeIssues(result.issues)}`)
  return result.output
}

/**
 * The URL's parameters as the schema's types: numbers for number fields, `none` as null where
 * null is allowed, strings otherwise; parameters the schema does not know are refused.
 */
function queryObject(query: URLSearchParams, schema: v.ObjectSchema<v.ObjectEntries, undefined>): Record<string, unknown> {
  const types = typesOf(schema)
  const object: Record<string, unknown> = {}
  for (const [name, raw] of query) {
    const type = types.get(name)
    if (!type) throw new ApiError(422, 'bad_request', `Unknown query parameter ${name}; this route takes ${[...types.keys()].join(', ')}`)
    if (raw === 'none' && type.has('null')) object[name] = null
    else if ((type.has('number') || type.has('integer')) && raw.trim() !== '' && Number.isFinite(Number(raw))) object[name] = Number(raw)
    else object[name] = raw
  }
  return object
}

const typeCache = new WeakMap<object, Map<string, Set<string>>>()

/** The JSON types each field of a query schema takes, read from its JSON Schema. */
function typesOf(schema: v.ObjectSchema<v.ObjectEntries, undefined>): Map<string, Set<string>> {
  let types = typeCache.get(schema)
  if (types) return types
  const json = toJsonSchema(schema, { errorMode: 'ignore' }) as { properties?: Record<string, JsonType> }
  types = new Map(Object.entries(json.properties ?? {}).map(([name, property]) => [name, new Set(jsonTypes(property))]))
  typeCache.set(schema, types)
  return types
}

interface JsonType {
  type?: string
  anyOf?: JsonType[]
}

function jsonTypes(property: JsonType): string[] {
  return [...(property.type ? [property.type] : []), ...(property.anyOf ?? []).flatMap(jsonTypes)]
}
