/**
 * The team's canned replies: each by its `/name` with its text, to edit or delete (after a
 * confirmation), and a form to add one or change the one being edited. Every refusal is said in
 * words; every change is announced.
 */
import { useStore } from '@nanostores/preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { describeFailure } from '../auth/failure'
import { useChat, useInbox } from '../context'
import { fill } from '../i18n'
import type { CannedOutcome } from './canned-store'
import type { CannedReply } from './slash'
import { en, id } from './strings'

export function CannedRepliesPage() {
  const { strings: common, locale } = useInbox()
  const strings = { ...common, ...(locale === 'id' ? id : en) }
  const { canned } = useChat()
  const replies = useStore(canned.$replies)
  const [editing, setEditing] = useState<CannedReply | undefined>(undefined)
  const [name, setName] = useState('')
  const [text, setText] = useState('')
  const [error, setError] = useState('')
  const [done, setDone] = useState('')
  const [confirming, setConfirming] = useState<string | undefined>(undefined)
  const nameRef = useRef<HTMLInputElement>(null)

  const settle = (outcome: CannedOutcome, success: string): boolean => {
    if (!outcome.ok) {
      setError(describeFailure(strings, outcome.failure))
      setDone('')
      return false
    }
    setError('')
    setDone(success)
    return true
  }
  useEffect(() => {
    void canned.load().then((outcome) => outcome.ok || setError(describeFailure(strings, outcome.failure)))
  }, [canned])

  const startEdit = (reply: CannedReply | undefined) => {
    setEditing(reply)
    setName(reply?.name ?? '')
    setText(reply?.text ?? '')
    setError('')
    nameRef.current?.focus()
  }

  const save = async () => {
    const input = { name: name.trim().toLowerCase(), text }
    if (settle(await canned.save(input, editing), fill(strings.cannedSaved, { name: input.name }))) startEdit(undefined)
  }

  const remove = async (reply: CannedReply) => {
    setConfirming(undefined)
    if (settle(await canned.remove(reply), fill(strings.cannedDeleted, { name: reply.name })) && editing?.id === reply.id) startEdit(undefined)
  }

  return (
    <section class="canned-page" aria-labelledby="canned-title">
      <h2 id="canned-title">{strings.cannedReplies}</h2>
      <p class="muted">{strings.cannedIntro}</p>
      <p class="form-error" role="alert">
        {error}
      </p>
      <p class="hint" role="status">
        {done}
      </p>
      {replies === undefined ? (
        <p>{strings.loading}</p>
      ) : replies.length === 0 ? (
        <p>{strings.cannedEmpty}</p>
      ) : (
        <ul class="canned-list">
          {replies.map((reply) => (
            <li key={reply.id} class="canned-item">
              <span class="canned-name">/{reply.name}</span>
              <span class="canned-text">{reply.text}</span>
              <span class="agent-actions">
                {confirming === reply.id ? (
                  <>
                    <span>{fill(strings.confirmDeleteCanned, { name: reply.name })}</span>
                    <button type="button" class="danger" onClick={() => void remove(reply)}>
                      {strings.delete}
                    </button>
                    <button type="button" class="ghost" onClick={() => setConfirming(undefined)}>
                      {strings.cancel}
                    </button>
                  </>
                ) : (
                  <>
                    <button type="button" class="ghost" aria-label={`${strings.edit} /${reply.name}`} onClick={() => startEdit(reply)}>
                      {strings.edit}
                    </button>
                    <button type="button" class="ghost" aria-label={`${strings.delete} /${reply.name}`} onClick={() => setConfirming(reply.id)}>
                      {strings.delete}
                    </button>
                  </>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
      <form
        class="canned-form"
        aria-labelledby="canned-form-title"
        onSubmit={(event) => {
          event.preventDefault()
          void save()
        }}
      >
        <h3 id="canned-form-title">{editing ? fill(strings.editingCanned, { name: editing.name }) : strings.newCanned}</h3>
        <div class="field">
          <label for="canned-name">{strings.cannedName}</label>
          <input
            id="canned-name"
            ref={nameRef}
            type="text"
            required
            maxLength={32}
            autoComplete="off"
            aria-describedby="canned-name-hint"
            value={name}
            onInput={(event) => setName(event.currentTarget.value)}
          />
          <p id="canned-name-hint" class="hint">
            {strings.cannedNameHint}
          </p>
        </div>
        <div class="field">
          <label for="canned-text">{strings.cannedText}</label>
          <textarea id="canned-text" required rows={4} value={text} onInput={(event) => setText(event.currentTarget.value)} />
        </div>
        <div class="form-actions">
          <button type="submit" class="primary">
            {strings.saveCanned}
          </button>
          {editing && (
            <button type="button" class="ghost" onClick={() => startEdit(undefined)}>
              {strings.cancel}
            </button>
          )}
        </div>
      </form>
    </section>
  )
}
