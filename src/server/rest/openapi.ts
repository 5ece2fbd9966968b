/**
 * The OpenAPI 3.1 document of the REST API, made from the operations themselves: their paths,
 * scopes and headers, and JSON Schemas converted from the same valibot schemas the routes check
 * requests with (@valibot/to-json-schema). Checks that JSON Schema cannot say (well-formed
 * Unicode in ids) are left out of it; the server still makes them.
 */
import { toJsonSchema } from '@valibot/to-json-schema'
import type * as v from 'valibot'
import { API_BASE } from './api-routes'
import type { Operation } from './operation'

type JsonSchema = Record<string, unknown>

function jsonSchema(schema: v.GenericSchema): JsonSchema {
  const { $schema: _dialect, ...rest } = toJsonSchema(schema, { errorMode: 'ignore' }) as JsonSchema
  return rest
}

const errorEnvelope = {
  type: 'object',
  properties: { success: { const: false }, message: { type: 'string' }, error: { type: 'string', description: 'A code: bad_request, unauthorized, forbidden, not_found, conflict, too_large, rate_limited, …' } },
  required: ['success', 'message', 'error'],
}

const refusals: Record<string, string> = {
  '401': 'No API key, or an unknown or revoked one',
  '403': 'The key lacks the scope, or the change is not allowed',
  '404': 'No such conversation or message',
  '422': 'The request does not pass the schema (the message says which field and why)',
  '429': 'Too many requests; Retry-After says when to try again',
}

export function openApiDocument(operations: readonly Operation[], info: { version: string; serverUrl: string }): object {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const operation of operations) {
    const parameters = [
      ...Object.entries(operation.params ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema: jsonSchema(schema) })),
      ...Object.entries(operation.query ? (jsonSchema(operation.query).properties as Record<string, JsonSchema>) : {}).map(([name, schema]) => ({
        name,
        in: 'query',
        required: false,
        schema,
        ...(JSON.stringify(schema).includes('"null"') && { description: 'none for null' }),
      })),
      ...(operation.headers ?? []).map((header) => ({ name: header.name, in: 'header', required: false, description: header.description, schema: { type: 'string', maxLength: header.maxLength } })),
    ]
    const success = {
      description: operation.summary,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: { success: { const: true }, message: { type: 'string' }, data: jsonSchema(operation.response) },
            required: ['success', 'message', 'data'],
          },
        },
      },
    }
    const responses: Record<string, unknown> = operation.creates ? { '201': success, '200': { ...success, description: 'Stored before under this Idempotency-Key' } } : { '200': success }
    for (const [status, description] of Object.entries({
      ...refusals,
      ...(operation.body && { '400': 'The body is not JSON', '413': 'The body is larger than 16 KB', '415': 'The body is not application/json' }),
      ...(operation.creates && { '409': 'The Idempotency-Key was used for another message' }),
    })) {
      responses[status] = { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Refusal' } } } }
    }
    ;(paths[operation.path] ??= {})[operation.method.toLowerCase()] = {
      operationId: operation.id,
      summary: operation.summary,
      security: [{ apiKey: [] }],
      'x-scope': operation.scope,
      ...(parameters.length > 0 && { parameters }),
      ...(operation.body && { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(operation.body) } } } }),
      responses,
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Obrolan REST API',
      version: info.version,
      description: 'Conversations, messages and live sessions of an Obrolan server. Every answer is { success, message, data }; every refusal { success: false, message, error }.',
    },
    servers: [{ url: `${info.serverUrl}${API_BASE}` }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (obk_…) made by an owner in the inbox (Settings) or with obrolan keys add' } },
      schemas: { Refusal: errorEnvelope },
    },
    paths,
  }
}
