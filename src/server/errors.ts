import type { ErrorCode, WireError } from '../protocol'

/** A refusal the client should see as-is; anything else thrown in a handler is reported as `internal`. */
export class ChatError extends Error {
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string) {
    super(message)
    this.name = 'ChatError'
    this.code = code
  }
}

export function toWireError(error: unknown): WireError {
  return error instanceof ChatError
    ? { code: error.code, message: error.message }
    : { code: 'internal', message: 'Internal server error' }
}
