/**
 * The connection in words beside a coloured dot (colour is never the only signal): connected,
 * reconnecting, offline, or a server that cannot be reached while the client keeps trying.
 */
import { useStore } from '@nanostores/preact'
import { useChat, useInbox } from '../context'

export function ConnectionState() {
  const { strings } = useInbox()
  const { client } = useChat()
  const status = useStore(client.status)
  const failures = useStore(client.failures)
  const trying = status === 'connecting' || status === 'reconnecting'
  const tone = status === 'connected' ? 'ok' : trying && failures === 0 ? 'warn' : 'bad'
  const label = trying && failures > 0 ? strings.unreachable : strings[status]
  return (
    <span class="connection" data-status={status} data-tone={tone} role="status">
      <span class="dot" aria-hidden="true" />
      {label}
    </span>
  )
}
