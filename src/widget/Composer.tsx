/**
 * The text field. Enter sends, Shift+Enter is a new line, and the Enter that confirms an IME
 * composition (Japanese, Chinese, Korean input…) is never taken as a send.
 */
import { useStore } from '@nanostores/preact'
import type { Ref } from 'preact'
import { useRef } from 'preact/hooks'
import { isSubmitKey } from '../ui/submit-key'
import { AttachButton } from '../ui/AttachButton'
import { carriedFiles } from '../ui/send-files'
import { useWidget } from './context'

interface ComposerProps {
  value: string
  editing: boolean
  error: string
  /** A line above the field (the conversation is closed: a message reopens it). */
  hint?: string | undefined
  inputId: string
  textareaRef: Ref<HTMLTextAreaElement>
  onInput: (text: string) => void
  onSubmit: () => void
  onCancelEdit: () => void
  /** Files chosen with the button or pasted into the field. */
  onFiles: (files: File[]) => void
}

export function Composer({ value, editing, error, hint, inputId, textareaRef, onInput, onSubmit, onCancelEdit, onFiles }: ComposerProps) {
  const { client, strings } = useWidget()
  const uploads = useStore(client.features).uploads
  const composing = useRef(false)
  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault()
        onSubmit()
      }}
    >
      {editing && (
        <div class="editing">
          <span>{strings.editing}</span>
          <button type="button" class="link-btn" onClick={onCancelEdit}>
            {strings.cancel}
          </button>
        </div>
      )}
      <div class="alert" role="alert">
        {error}
      </div>
      {hint && !editing && <p class="hint">{hint}</p>}
      <div class="field">
        {uploads && !editing && <AttachButton uploads={uploads} label={strings.attach} className="attach" iconSize={20} onFiles={onFiles} />}
        <label class="sr-only" for={inputId}>
          {strings.inputLabel}
        </label>
        <textarea
          id={inputId}
          ref={textareaRef}
          class="input"
          rows={1}
          value={value}
          placeholder={strings.placeholder}
          enterkeyhint={editing ? 'done' : 'send'}
          onInput={(event) => onInput(event.currentTarget.value)}
          onPaste={(event) => {
            const files = carriedFiles(event.clipboardData)
            if (files.length === 0 || !uploads || editing) return
            // A pasted picture (a screenshot) is sent as a file; pasted text stays text.
            event.preventDefault()
            onFiles(files)
          }}
          onCompositionStart={() => void (composing.current = true)}
          onCompositionEnd={() => void (composing.current = false)}
          onKeyDown={(event) => {
            if (!isSubmitKey(event, composing.current)) return
            event.preventDefault()
            onSubmit()
          }}
        />
        <button type="submit" class="send">
          {editing ? strings.save : strings.send}
        </button>
      </div>
    </form>
  )
}
