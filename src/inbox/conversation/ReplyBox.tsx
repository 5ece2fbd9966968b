/**
 * The reply field, labelled "Reply". Enter sends, Shift+Enter adds a line, an IME's confirming
 * Enter never sends. While a message of this agent's is being edited the same field holds it,
 * with Save and Cancel; Esc cancels the edit (and only the edit: the page's Esc is "back").
 */
import type { Ref } from 'preact'
import { useRef } from 'preact/hooks'
import { isSubmitKey } from '../../ui/submit-key'
import { useInbox } from '../context'

interface ReplyBoxProps {
  value: string
  editing: boolean
  error: string
  textareaRef: Ref<HTMLTextAreaElement>
  onInput: (text: string) => void
  onSubmit: () => void
  onCancelEdit: () => void
}

export function ReplyBox({ value, editing, error, textareaRef, onInput, onSubmit, onCancelEdit }: ReplyBoxProps) {
  const { strings } = useInbox()
  const composing = useRef(false)
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
