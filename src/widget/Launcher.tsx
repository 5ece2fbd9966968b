/** The round button that opens and closes the panel, with the unread badge. */
import type { Ref } from 'preact'
import { useStore } from '@nanostores/preact'
import { useWidget } from './context'
import { unreadLabel } from './i18n'
import { ChatIcon, CloseIcon } from './icons'

interface LauncherProps {
  open: boolean
  panelId: string
  onToggle: () => void
  buttonRef: Ref<HTMLButtonElement>
}

/** What the badge shows: nothing at 0, the count up to 9, then "9+" so it stays one small circle. */
export function badgeText(count: number): string | undefined {
  if (!(count > 0)) return undefined
  return count > 9 ? '9+' : String(count)
}

export function Launcher({ open, panelId, onToggle, buttonRef }: LauncherProps) {
  const { client, strings } = useWidget()
  const unread = useStore(client.unread)
  const badge = badgeText(unread)
  return (
    <button ref={buttonRef} type="button" class="launcher" aria-expanded={open ? 'true' : 'false'} aria-controls={panelId} onClick={onToggle}>
      {open ? <CloseIcon size={24} /> : <ChatIcon />}
      <span class="sr-only">{open ? strings.closeChat : strings.openChat}</span>
      {badge !== undefined && (
        <span class="badge">
          <span aria-hidden="true">{badge}</span>
          {/* The exact count for screen readers, even above 9. */}
          <span class="sr-only">{`, ${unreadLabel(strings, unread)}`}</span>
        </span>
      )}
    </button>
  )
}
