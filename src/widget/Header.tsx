/**
 * Panel header: title, who can answer (an agent in this conversation, the team online, or away —
 * as the server says, agents online for the whole site), the connection state, the sound switch
 * and the close button.
 */
import { useStore } from '@nanostores/preact'
import { availabilityOf } from './availability'
import { ConnectionDot } from './ConnectionDot'
import { useWidget } from './context'
import { fill } from './i18n'
import { BellIcon, CloseIcon } from './icons'

interface HeaderProps {
  title: string
  onClose: () => void
}

export function Header({ title, onClose }: HeaderProps) {
  const { client, strings, $muted } = useWidget()
  const presence = useStore(client.presence)
  const site = useStore(client.site)
  const muted = useStore($muted)
  const availability = availabilityOf(presence, site)
  const label = availability === 'here' ? strings.agentHere : availability === 'online' ? strings.agentOnline : availability === 'away' ? strings.agentAway : undefined
  return (
    <div class="header">
      <div class="heading">
        <h2 class="title">{title}</h2>
        <div class="sub">
          {label && (
            <span class="presence" data-agent={availability}>
              {label}
            </span>
          )}
          {availability === 'online' && site?.replyMinutes !== undefined && <span class="reply-time">{fill(strings.replyWithin, { minutes: site.replyMinutes })}</span>}
          <ConnectionDot />
        </div>
      </div>
      <button type="button" class="icon-btn mute" aria-pressed={muted ? 'true' : 'false'} onClick={() => $muted.set(!muted)}>
        <BellIcon off={muted} />
        <span class="sr-only">{strings.muteSounds}</span>
      </button>
      <button type="button" class="icon-btn close" onClick={onClose}>
        <CloseIcon />
        <span class="sr-only">{strings.closeChat}</span>
      </button>
    </div>
  )
}
