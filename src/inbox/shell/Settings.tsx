/**
 * The agent's switches, behind a "Settings" button: the chime, desktop notifications (the browser
 * is asked for permission only when the agent turns them on here), language and appearance, all
 * remembered in this browser; the way to the team's canned replies, and for owners the way to
 * Integrations (API keys, webhooks).
 */
import { useStore } from '@nanostores/preact'
import { useState } from 'preact/hooks'
import { useChat, useInbox } from '../context'
import type { Preferences, Theme } from '../state/preferences'

export function Settings() {
  const { strings, preferences, desktop, router } = useInbox()
  const { agent } = useChat()
  const prefs = useStore(preferences.$preferences)
  const [open, setOpen] = useState(false)
  const [note, setNote] = useState('')
  const permission = desktop?.permission()
  const desktopOn = prefs.desktop && permission === 'granted'

  const toggleDesktop = async (wanted: boolean) => {
    setNote('')
    if (!wanted) return preferences.set({ desktop: false })
    if (!desktop) return setNote(strings.desktopUnsupported)
    let granted = desktop.permission()
    if (granted === 'default') {
      try {
        granted = await desktop.request()
      } catch (error) {
        console.warn('obrolan inbox: the notification permission request failed', error)
        granted = 'denied'
      }
    }
    preferences.set({ desktop: granted === 'granted' })
    if (granted !== 'granted') setNote(strings.desktopBlocked)
  }

  return (
    <div
      class="settings"
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || !open) return
        event.preventDefault()
        setOpen(false)
        ;(event.currentTarget.querySelector('button') as HTMLButtonElement | null)?.focus()
      }}
    >
      <button type="button" class="ghost" aria-expanded={open} aria-controls="settings-panel" onClick={() => setOpen(!open)}>
        {strings.settings}
      </button>
      <div id="settings-panel" class="settings-panel" hidden={!open}>
        <label class="check">
          <input type="checkbox" checked={prefs.sound} onChange={(event) => preferences.set({ sound: event.currentTarget.checked })} />
          {strings.sound}
        </label>
        <label class="check">
          <input type="checkbox" checked={desktopOn} onChange={(event) => void toggleDesktop(event.currentTarget.checked)} />
          {strings.desktop}
        </label>
        <p class="hint" role="status">
          {note || (prefs.desktop && permission === 'denied' ? strings.desktopBlocked : '')}
        </p>
        <label class="select">
          <span>{strings.language}</span>
          <select value={prefs.locale} onChange={(event) => preferences.set({ locale: event.currentTarget.value as Preferences['locale'] })}>
            <option value="auto">Auto</option>
            <option value="en">English</option>
            <option value="id">Bahasa Indonesia</option>
          </select>
        </label>
        <label class="select">
          <span>{strings.appearance}</span>
          <select value={prefs.theme} onChange={(event) => preferences.set({ theme: event.currentTarget.value as Theme })}>
            {(['auto', 'light', 'dark'] as const).map((theme) => (
              <option key={theme} value={theme}>
                {strings[`theme_${theme}`]}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          class="ghost"
          onClick={() => {
            setOpen(false)
            router.navigate({ screen: 'replies' })
          }}
        >
          {strings.manageCanned}
        </button>
        {agent.role === 'owner' && (
          <button
            type="button"
            class="ghost"
            onClick={() => {
              setOpen(false)
              router.navigate({ screen: 'integrations' })
            }}
          >
            {strings.integrations}
          </button>
        )}
      </div>
    </div>
  )
}
