/**
 * The reply field, labelled "Reply". Enter sends, Shift+Enter adds a line, an IME's confirming
 * Enter never sends. Typing `/` (at the start or after a space) offers the team's canned replies
 * by name: up and down choose, Enter or Tab inserts, Esc closes the list. While a message of this
 * agent's is being edited the same field holds it, with Save and Cancel; Esc cancels the edit (and
 * only the edit: the page's Esc is "back"). Files go out from the paperclip or pasted into the field.
 */
import { useStore } from '@nanostores/preact'
import type { RefObject } from 'preact'
import { useLayoutEffect, useRef, useState } from 'preact/hooks'
import { AttachButton } from '../../ui/AttachButton'
import { carriedFiles } from '../../ui/send-files'
import { isSubmitKey } from '../../ui/submit-key'
import { CannedPopup, optionId, POPUP_ID } from '../canned/CannedPopup'
import { insertReply, matchReplies, slashQuery, type CannedReply, type SlashQuery } from '../canned/slash'
import { useChat, useInbox } from '../context'

interface ReplyBoxProps {
  value: string
  editing: boolean
  error: string
  textareaRef: RefObject<HTMLTextAreaElement>
  onInput: (text: string) => void
  onSubmit: () => void
  onCancelEdit: () => void
  /** Files chosen with the button or pasted into the field. */
  onFiles: (files: File[]) => void
}

export function ReplyBox({ value, editing, error, textareaRef, onInput, onSubmit, onCancelEdit, onFiles }: ReplyBoxProps) {
  const { strings } = useInbox()
  const { client, canned } = useChat()
  const uploads = useStore(client.features).uploads
  const replies = useStore(canned.$replies)
  const composing = useRef(false)
  const [slash, setSlash] = useState<SlashQuery | undefined>(undefined)
  const [active, setActive] = useState(0)
  /** The `/` whose list the agent closed with Esc: not offered again until another is typed. */
  const [dismissed, setDismissed] = useState<number | undefined>(undefined)
  const caretAfter = useRef<number | undefined>(undefined)
  const matches = slash && slash.start !== dismissed && replies ? matchReplies(replies, slash.query) : []
  const open = matches.length > 0

  // After an insert the caret goes after the inserted text (once the new value is rendered).
  useLayoutEffect(() => {
    const caret = caretAfter.current
    if (caret === undefined || !textareaRef.current) return
    caretAfter.current = undefined
    textareaRef.current.setSelectionRange(caret, caret)
  }, [value, textareaRef])

  const follow = (text: string, caret: number) => {
    const next = slashQuery(text, caret)
    // A new `/`: the team's list may have changed since it was last asked for.
    if (next && next.start !== slash?.start) void canned.load()
    if (next?.query !== slash?.query) setActive(0)
    setSlash(next)
  }

  const insert = (reply: CannedReply) => {
    if (!slash) return
    const result = insertReply(value, slash, reply)
    caretAfter.current = result.caret
    setSlash(undefined)
    onInput(result.text)
  }

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
      {open && <CannedPopup matches={matches} active={Math.min(active, matches.length - 1)} onPick={insert} />}
      <div class="reply-row">
        {uploads && !editing && (
          <AttachButton uploads={uploads} label={strings.attach} className="ghost attach" iconSize={18} onFiles={onFiles} />
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
          aria-autocomplete="list"
          aria-controls={open ? POPUP_ID : undefined}
          aria-activedescendant={open ? optionId(Math.min(active, matches.length - 1)) : undefined}
          onInput={(event) => {
            const field = event.currentTarget
            follow(field.value, field.selectionStart)
            onInput(field.value)
          }}
          onClick={(event) => follow(event.currentTarget.value, event.currentTarget.selectionStart)}
          onBlur={() => setSlash(undefined)}
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
            if (open && !composing.current) {
              if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
                event.preventDefault()
                const step = event.key === 'ArrowDown' ? 1 : -1
                setActive((Math.min(active, matches.length - 1) + step + matches.length) % matches.length)
                return
              }
              if ((event.key === 'Enter' && !event.shiftKey) || event.key === 'Tab') {
                event.preventDefault()
                insert(matches[Math.min(active, matches.length - 1)]!)
                return
              }
              if (event.key === 'Escape') {
                event.preventDefault()
                event.stopPropagation()
                setDismissed(slash!.start)
                return
              }
            }
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
          onKeyUp={(event) => {
            // Arrow keys and Home/End move the caret without input: the `/` at it may change.
            if (event.key.startsWith('Arrow') && !open) follow(event.currentTarget.value, event.currentTarget.selectionStart)
          }}
        />
        <button type="submit" class="primary">
          {editing ? strings.save : strings.send}
        </button>
      </div>
    </form>
  )
}
