/** A secret shown once (a new API key, a webhook's signing secret): selectable, with a copy button. */
import { useState } from 'preact/hooks'
import type { IntegrationStrings } from './strings'

export function CopyOnce({ label, value, text, id }: { label: string; value: string; text: IntegrationStrings; id: string }) {
  const [copied, setCopied] = useState(false)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value)
      setCopied(true)
    } catch (error) {
      // Clipboard refused (permissions, an insecure origin): the value stays selectable on screen.
      console.warn('obrolan inbox: cannot copy', error)
    }
  }
  return (
    <div class="invite-ready" role="status">
      <label for={id}>{label}</label>
      <input id={id} type="text" readOnly value={value} onFocus={(event) => event.currentTarget.select()} />
      <button type="button" class="ghost" onClick={() => void copy()}>
        {copied ? text.copied : text.copy}
      </button>
    </div>
  )
}
