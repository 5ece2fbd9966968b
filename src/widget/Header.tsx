/** Panel header: title, whether an agent is present, the connection state and the close button. */
import { useStore } from '@nanostores/preact'
import { ConnectionDot } from './ConnectionDot'
import { useWidget } from './context'
import { CloseIcon } from './icons'

interface HeaderProps {
  title: string
  onClose: () => void
}

export function Header({ title, onClose }: HeaderProps) {
  const { client, strings } = useWidget()
  const presence = useStore(client.presence)
  return (
    <div class="header">
      <div class="heading">
        <h2 class="title">{title}</h2>
        <div class="sub">
          <span class="presence" data-agent={presence?.agentConnected ? 'here' : 'away'}>
            {presence?.agentConnected ? strings.agentHere : strings.agentAway}
          </span>
          <ConnectionDot />
        </div>
      </div>
      <button type="button" class="icon-btn close" onClick={onClose}>
        <CloseIcon />
        <span class="sr-only">{strings.closeChat}</span>
      </button>
    </div>
  )
}
