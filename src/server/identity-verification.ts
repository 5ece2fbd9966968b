/**
 * Identified visitors. The site's own backend, which knows who is logged in, signs the user id
 * with a secret it shares with this server: `userHash = hex(HMAC-SHA256(identitySecret, userId))`.
 * The page passes both; only the backend could have made the hash, so a visitor cannot claim
 * someone else's id (and with it their conversation) by editing the page.
 */
import { createHmac } from 'node:crypto'
import type { VisitorIdentity } from '../protocol'
import { ChatError } from './errors'
import { safeEqual } from './visitor-token'

/** What a site's backend computes for the logged-in user and puts in the page. */
export function signUserId(identitySecret: string, userId: string): string {
  return createHmac('sha256', identitySecret).update(userId).digest('hex')
}

/** The visitor id an identified user gets: the same on every device, never equal to an anonymous one. */
export const identifiedVisitorId = (userId: string): string => `user:${userId}`

/** Throws `unauthorized` with the reason when the identity cannot be trusted. */
export function verifyIdentity(identitySecret: string | undefined, identity: VisitorIdentity): void {
  if (identitySecret === undefined) {
    throw new ChatError('unauthorized', 'This server does not verify identities (no identitySecret); staying anonymous')
  }
  if (!/^[0-9a-fA-F]{64}$/.test(identity.userHash)) {
    throw new ChatError('unauthorized', 'userHash must be 64 hex digits (HMAC-SHA256 of userId); staying anonymous')
  }
  if (!safeEqual(identity.userHash.toLowerCase(), signUserId(identitySecret, identity.userId))) {
    throw new ChatError('unauthorized', 'userHash does not match userId; staying anonymous')
  }
}
