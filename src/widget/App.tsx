/**
 * The widget's root: the launcher and the panel, and focus moving between them — into the text
 * field when the panel opens, back to the launcher when it closes with focus inside.
 */
import { useStore } from '@nanostores/preact'
import type { ReadableAtom } from 'nanostores'
import { useCallback, useLayoutEffect, useRef } from 'preact/hooks'
import type { DraftStore } from './draft-storage'
import { Launcher } from './Launcher'
import { Panel } from './Panel'

export interface OpenController {
  readonly $open: ReadableAtom<boolean>
  setOpen(open: boolean): void
}

interface AppProps {
  controller: OpenController
  title: string
  greeting?: string | undefined
  draftStore: DraftStore
}

const PANEL_ID = 'obrolan-panel'

export function App({ controller, title, greeting, draftStore }: AppProps) {
  const open = useStore(controller.$open)
  const launcherRef = useRef<HTMLButtonElement>(null)
  const panelRef = useRef<HTMLDivElement>(null)
  const textareaRef = useRef<HTMLTextAreaElement>(null)
  const wasOpen = useRef(open)

  useLayoutEffect(() => {
    if (wasOpen.current === open) return // Starting open (option `open`) does not steal focus.
    wasOpen.current = open
    if (open) {
      textareaRef.current?.focus()
      return
    }
    // Closed from the API while focus was inside: do not leave focus on a hidden element.
    const panel = panelRef.current
    const root = panel?.getRootNode() as Document | ShadowRoot | undefined
    const active = root?.activeElement
    if (panel && active && panel.contains(active)) launcherRef.current?.focus()
  }, [open])

  const toggle = useCallback(() => controller.setOpen(!controller.$open.get()), [controller])
  const close = useCallback(() => {
    controller.setOpen(false)
    launcherRef.current?.focus()
  }, [controller])

  // A named landmark, so screen reader users can jump to the chat from anywhere on the page.
  return (
    <aside class="root" aria-label={title}>
      <Launcher open={open} panelId={PANEL_ID} onToggle={toggle} buttonRef={launcherRef} />
      <Panel
        open={open}
        panelId={PANEL_ID}
        title={title}
        greeting={greeting}
        draftStore={draftStore}
        panelRef={panelRef}
        textareaRef={textareaRef}
        onClose={close}
      />
    </aside>
  )
}
