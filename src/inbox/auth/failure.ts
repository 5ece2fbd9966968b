/** A refused form in words the agent can act on. */
import { fill, type InboxStrings } from '../i18n'
import type { Failure } from '../state/session'

export function describeFailure(strings: InboxStrings, failure: Failure, linkUsed = strings.setupUsed): string {
  switch (failure.kind) {
    case 'network':
      return strings.networkError
    case 'wrong-credentials':
      return strings.wrongCredentials
    case 'rate-limited':
      return fill(strings.rateLimited, { seconds: failure.seconds })
    case 'link-used':
      return linkUsed
    case 'refused':
      return fill(strings.serverError, { message: failure.message })
  }
}

export const MIN_PASSWORD_LENGTH = 10
