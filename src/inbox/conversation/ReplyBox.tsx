/**
 * The reply field, labelled "Reply". Enter sends, Shift+Enter adds a line, an IME's confirming
 * Enter never sends. While a message of this agent's is being edited the same field holds it,
 * with Save and Cancel; Esc cancels the edit (and only the edit: the page's Esc is "back").
 */
import { useStore } from '@nanostores/preact'
import type { Ref } from 'preact'
import { useRef } from 'preact/hooks'
import { UPLOAD_TYPES } from '../../protocol'
import { acceptOf, carriedFiles } from '../../ui/send-files'
import { isSubmitKey } from '../../ui/submit-key'
import { useChat, useInbox } from '../context'

interface ReplyBoxProps {
  value: string
  editing: boolean
  error: string
  textareaRef: Ref<HTMLTextAreaElement>
  onInput: (text: string) => void
  onSubmit: () => void
  onCancelEdit: () => void
  /** Files chosen with the button or pasted into the field. */
  onFiles: (files: File[]) => void
}

export function ReplyBox({ value, editing, error, textareaRef, onInput, onSubmit, onCancelEdit, onFiles }: ReplyBoxProps) {
  const { strings } = useInbox()
  const uploads = useStore(useChat().client.features).uploads
  const composing = useRef(false)
  const fileRef = useRef<HTMLInputElement>(null)
  return (
    <form
      class="reply"
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
      <p class="form-error" role="alert">
        {error}
      </p>
      <div class="reply-row">
        {uploads && !editing && (
          <>
            <button type="button" class="ghost attach" aria-label={strings.attach} title={strings.attach} onClick={() => fileRef.current?.click()}>
              <svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round">
                <path d="M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9" />
              </svg>
            </button>
            <input
              ref={fileRef}
              type="file"
              class="sr-only"
              tabIndex={-1}
              aria-hidden="true"
              multiple
              accept={acceptOf(uploads.types, (type) => UPLOAD_TYPES[type] ?? [])}
              onChange={(event) => {
                const input = event.currentTarget
                const files = [...(input.files ?? [])]
                input.value = ''
                if (files.length) onFiles(files)
              }}
            />
          </>
        )}
        <label class="sr-only" for="reply">
          {strings.reply}
        </label>
        <textarea
          id="reply"
          ref={textareaRef}
          rows={2}
          value={value}
          placeholder={strings.replyPlaceholder}
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
            if (event.key === 'Escape' && editing) {
              event.preventDefault()
              event.stopPropagation()
              onCancelEdit()
              return
            }
            if (!isSubmitKey(event, composing.current)) return
            event.preventDefault()
            onSubmit()
          }}
        />
        <button type="submit" class="primary">
          {editing ? strings.save : strings.send}
        </button>
      </div>
    </form>
  )
}
