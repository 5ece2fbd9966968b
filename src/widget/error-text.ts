/**
 * What the visitor reads when something fails: the client's own reasons (too long, too fast,
 * not connected, failed) in the widget's language; a reason the server gave for refusing a
 * message (a site's policy: `forbidden`, `bad_request`, `not_found`) as the server worded it.
 */
import type { WidgetStrings } from './i18n'

const OWN_REASONS: Record<string, keyof WidgetStrings> = {
  too_long: 'errorTooLong',
  rate_limited: 'errorRateLimited',
  outbox_full: 'errorOutboxFull',
  not_connected: 'errorOffline',
  timeout: 'errorOffline',
  internal: 'errorFailed',
  invalid_event: 'errorFailed',
  unauthorized: 'errorFailed',
  unsupported_version: 'errorFailed',
}

export function errorText(strings: WidgetStrings, error: unknown): string {
  const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown }
  const own = typeof code === 'string' ? OWN_REASONS[code] : undefined
  if (own) return strings[own]
  return typeof message === 'string' && message !== '' ? message : strings.errorFailed
}
