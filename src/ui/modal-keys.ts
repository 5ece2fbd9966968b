/**
 * Keys inside a modal dialog (the full-size picture in the widget and the inbox): Esc closes it
 * without reaching what is behind (the inbox would leave the conversation), and Tab cycles through
 * the dialog's own controls, since `aria-modal` promises that the page behind is out of reach.
 */
const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

export function onModalKey(event: KeyboardEvent, dialog: HTMLElement, close: () => void): void {
  if (event.key === 'Escape') {
    event.stopPropagation()
    close()
    return
  }
  if (event.key !== 'Tab') return
  const controls = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)]
  if (controls.length === 0) return
  // In a shadow root the document's activeElement is the host, so the key's target says where focus is.
  const at = controls.indexOf(event.target as HTMLElement)
  const next = event.shiftKey ? (at <= 0 ? controls.length - 1 : at - 1) : at === -1 || at === controls.length - 1 ? 0 : at + 1
  event.preventDefault()
  controls[next]!.focus()
}
