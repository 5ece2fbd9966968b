import type { ErrorCode, WireError } from '../protocol'
import { NotFoundError } from './store'

/** A refusal the client should see as-is; anything else thrown in a handler is reported as `internal`. */
export class ChatError extends Error {
  readonly code: ErrorCode
  /** With `rate_limited`: when the client may try again. */
  readonly retryAfterMs: number | undefined

  constructor(code: ErrorCode, message: string, retryAfterMs?: number) {
    super(message)
    this.name = 'ChatError'
    this.code = code
    this.retryAfterMs = retryAfterMs
  }
}

/** What the client is told: a refusal as it is, a missing record as `not_found`, anything else as `internal`. */
export function toWireError(error: unknown): WireError {
  if (error instanceof ChatError) {
    return { code: error.code, message: error.message, ...(error.retryAfterMs !== undefined && { retryAfterMs: error.retryAfterMs }) }
  }
  if (error instanceof NotFoundError) return { code: 'not_found', message: error.message }
  return { code: 'internal', message: 'Internal server error' }
}
