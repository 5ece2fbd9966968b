/**
 * One REST operation as data: its method and path, the scope it needs, the schemas of what it
 * takes and answers, and its handler. The routes (api-routes.ts) and the OpenAPI document
 * (openapi.ts) are both made from the list of operations, so the document cannot describe a
 * route that does not exist or a shape the route does not check.
 */
import type { IncomingHttpHeaders } from 'node:http'
import type * as v from 'valibot'
import type { ApiKey, ApiScope } from '../accounts/types'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface ApiCall<Query = Record<string, unknown>, Body = Record<string, unknown>> {
  key: ApiKey
  /** Path parameters by name, checked against `params`. */
  params: Record<string, string>
  query: Query
  body: Body
  headers: IncomingHttpHeaders
}

export interface ApiAnswer {
  /** Default 200. */
  status?: 200 | 201
  message: string
  data: unknown
  headers?: Record<string, string>
}

/** A header an operation reads, for the document. */
export interface HeaderParam {
  name: string
  description: string
  maxLength: number
}

export interface Operation {
  /** The OpenAPI operationId. */
  id: string
  method: HttpMethod
  /** Under /api/v1, OpenAPI style: `/conversations/{roomId}`. */
  path: string
  summary: string
  scope: ApiScope
  /** Every `{name}` of the path, with its schema. */
  params?: Record<string, v.GenericSchema<string>>
  /** Query parameters (strings in the URL; numbers and `none` for null are converted first). */
  query?: v.ObjectSchema<v.ObjectEntries, undefined>
  body?: v.ObjectSchema<v.ObjectEntries, undefined>
  headers?: HeaderParam[]
  /** The `data` of a successful answer. */
  response: v.GenericSchema
  /** Says 201 in the document (the handler answers 200 for a replay). */
  creates?: boolean
  handle(call: ApiCall): Promise<ApiAnswer>
}

/** A refusal with its HTTP status and the envelope's `error` code. */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'ApiError'
  }
}
