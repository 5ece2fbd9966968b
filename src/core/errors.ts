import { messageTextProblem, type ErrorCode } from '../protocol'

/**
 * Error codes a client reports: the server's own codes, plus the ones only a client can meet.
 * - `timeout`: no answer within the ack timeout (the connection is then treated as dead).
 * - `not_connected`: the request needs a live connection and there is none.
 * - `outbox_full`: too many unsent messages are waiting.
 * - `invalid_event`: the server sent something that does not match the protocol; it was dropped.
 */
export type ChatErrorCode = ErrorCode | 'timeout' | 'not_connected' | 'outbox_full' | 'invalid_event'

export class ChatError extends Error {
  override readonly name = 'ChatError'

  constructor(
    readonly code: ChatErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/** The text, when it can be sent as a message; else the reason, as a `ChatError` to throw. */
export function sendableText(text: unknown, maxLength: number): string {
  if (typeof text !== 'string') throw new ChatError('bad_request', 'Message text must be a string')
  const problem = messageTextProblem(text, maxLength)
  if (problem) throw new ChatError(problem.code, problem.message)
  return text
}

/** A request failed because the link did: the link has already reported it (as `lost`), so it is not an error to show. */
export const failedWithLink = (error: unknown): boolean => error instanceof ChatError && (error.code === 'timeout' || error.code === 'not_connected')
