/**
 * The connection state as a coloured dot and a text label (colour is never the only signal):
 * green connected, yellow (pulsing) while a connection is being made, red when there is none —
 * disconnected, offline, or a server that keeps refusing attempts while the client retries.
 */
import { useStore } from '@nanostores/preact'
import type { ConnectionStatus } from '../index'
import { useWidget } from './context'
import { statusLabel, type WidgetStrings } from './i18n'

export type ConnectionTone = 'green' | 'yellow' | 'red'

/**
 * One failed attempt is enough for red: a dropped link usually comes back on the first try
 * (yellow), while a server that cannot be reached fails every try until it is back.
 */
export function connectionTone(status: ConnectionStatus, failures: number): ConnectionTone {
  if (status === 'connected') return 'green'
  if ((status === 'connecting' || status === 'reconnecting') && failures === 0) return 'yellow'
  return 'red'
}

function label(strings: WidgetStrings, status: ConnectionStatus, tone: ConnectionTone): string {
  return tone === 'red' && (status === 'connecting' || status === 'reconnecting') ? strings.unreachable : statusLabel(strings, status)
}

export function ConnectionDot() {
  const { client, strings } = useWidget()
  const status = useStore(client.status)
  const failures = useStore(client.failures)
  const tone = connectionTone(status, failures)
  return (
    <span class="conn" data-status={status} data-tone={tone} role="status">
      <span class="dot" aria-hidden="true" />
      <span class="conn-label">{label(strings, status, tone)}</span>
    </span>
  )
}
