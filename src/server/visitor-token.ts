/**
 * Visitor credentials. The server makes up a visitor id and hands out a signature of it; only a
 * client holding both can resume that visitor's conversation, so guessing or leaking an id alone
 * (it appears in logs and presence) is not enough. Nothing is stored: the secret re-derives it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { newVisitorId } from './ids'

export interface VisitorCredentials {
  visitorId: string
  visitorToken: string
}

export function signVisitorId(secret: string, visitorId: string): string {
  return createHmac('sha256', secret).update(visitorId).digest('base64url')
}

export function issueVisitorCredentials(secret: string): VisitorCredentials {
  const visitorId = newVisitorId()
  return { visitorId, visitorToken: signVisitorId(secret, visitorId) }
}

export function verifyVisitorToken(secret: string, visitorId: string, token: string): boolean {
  return safeEqual(token, signVisitorId(secret, visitorId))
}

/** Compares secrets in time that does not depend on where they first differ. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}
