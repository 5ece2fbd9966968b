/**
 * The chat dialog. Owns what the visitor is working on — the draft, an edit in progress, deletes
 * that can still be undone and the last error — so it survives closing and reopening (the panel
 * is hidden, not unmounted). Before the first message it may show the site's pre-chat form; while
 * nobody can answer, when a reply can be expected and the e-mail prompt.
 */
import { useStore } from '@nanostores/preact'
import type { Ref, RefObject } from 'preact'
import { useCallback, useMemo, useRef, useState } from 'preact/hooks'
import type { ChatMessage } from '../index'
import { availabilityOf } from './availability'
import { AwayNotice } from './AwayNotice'
import { Lightbox } from './attachments/Lightbox'
import { sendFiles } from '../ui/send-files'
import { useFileDrop } from '../ui/use-file-drop'
import { messageActions, useAttempt, type EditingMessage } from '../ui/message-actions'
import { Composer } from './Composer'
import { useWidget } from './context'
import type { DraftStore } from './draft-storage'
import { errorText } from './error-text'
import { Header } from './Header'
import type { MessageActions } from './MessageBubble'
import { MessageList } from './MessageList'
import { PreChatForm } from './PreChatForm'
import { usePendingDeletes } from './use-pending-deletes'

interface PanelProps {
  open: boolean
  panelId: string
  title: string
  greeting?: string | undefined
  draftStore: DraftStore
  panelRef: Ref<HTMLDivElement>
  textareaRef: RefObject<HTMLTextAreaElement>
  onClose: () => void
}

export function Panel({ open, panelId, title, greeting, draftStore, panelRef, textareaRef, onClose }: PanelProps) {
  const { client, strings, $preChatDone } = useWidget()
  const [draft, setDraft] = useState(() => draftStore.load())
  const [editing, setEditing] = useState<EditingMessage | undefined>(undefined)
  const [error, setError] = useState('')
  const emailRef = useRef<HTMLInputElement>(null)
  /** The picture shown full size. */
  const [viewing, setViewing] = useState<ChatMessage | undefined>(undefined)

  const site = useStore(client.site)
  const presence = useStore(client.presence)
  const conversation = useStore(client.conversation)
  const contact = useStore(client.contact)
  const user = useStore(client.user)
  const preChatDone = useStore($preChatDone)
  const hasMessages = useStore(client.messages).length > 0
  const away = availabilityOf(presence, site) === 'away'
  const emailMissing = !contact?.email && !user?.email
  // Asked once, before a conversation that has not started (known only once joined: no flash of
  // the form for a returning visitor whose messages are on their way).
  const showForm = site?.preChatForm !== undefined && !preChatDone && conversation !== undefined && conversation.createdAt === 0 && !hasMessages

  const showError = useCallback((e: unknown) => setError(errorText(strings, e)), [strings])
  const focusInput = useCallback(() => textareaRef.current?.focus(), [textareaRef])

  const attempt = useAttempt(showError)

  const removeNow = useCallback((id: string) => client.remove(id), [client])
  const deletes = usePendingDeletes(removeNow, showError)

  // Stable for the panel's lifetime, so memoised bubbles do not re-render for new callbacks.
  const actions = useMemo<MessageActions>(
    () => ({
      ...messageActions(client, {
        attempt,
        setEditing,
        editStarted: () => {
          setError('')
          focusInput()
        },
        remove: deletes.start,
        open: setViewing,
      }),
      undoRemove: (message: ChatMessage) => {
        if (message.id !== undefined) deletes.undo(message.id)
      },
      error: showError,
    }),
    [client, attempt, focusInput, showError, deletes.start, deletes.undo],
  )

  /** What holds a message back also holds back a file: the pre-chat form, a required e-mail address. */
  const emailFirst = away && site?.awayEmail === 'required' && emailMissing
  const sendChosen = useCallback(
    (files: File[]) => {
      if (showForm) return
      if (emailFirst) {
        setError(strings.emailFirst)
        emailRef.current?.focus()
        return
      }
      setError('')
      void sendFiles(client, files, showError)
    },
    [client, showError, showForm, emailFirst, strings],
  )

  /** Where focus goes back to when the full-size picture closes: its thumbnail. */
  const closeViewer = () => {
    const clientId = viewing?.clientId
    setViewing(undefined)
    const root = (panelRef as { current?: HTMLElement | null }).current
    root?.querySelector<HTMLElement>(`[data-client-id="${clientId}"] .thumb`)?.focus()
  }

  const dropping = useFileDrop(panelRef as RefObject<HTMLDivElement>, sendChosen)

  const cancelEdit = () => {
    setEditing(undefined)
    setError('')
    focusInput()
  }

  const onInput = (text: string) => {
    if (error) setError('')
    if (editing) {
      setEditing({ ...editing, text })
      return
    }
    setDraft(text)
    draftStore.save(text)
    client.setTyping(text !== '')
  }

  const submit = async () => {
    if (editing) {
      const text = editing.text.trim()
      if (text === '') return
      if (text === editing.original) return cancelEdit()
      if (await attempt(() => client.edit(editing.id, text))) cancelEdit()
      return
    }
    const text = draft.trim()
    if (text === '') return
    // The site needs an address to reply to while nobody can answer: the message waits for it.
    if (emailFirst) {
      setError(strings.emailFirst)
      emailRef.current?.focus()
      return
    }
    // A refusal (empty, too long, outbox full) leaves the draft exactly as it was.
    try {
      client.send(text)
    } catch (e) {
      showError(e)
      return
    }
    // `send` has told the others this user stopped typing.
    setDraft('')
    draftStore.save('')
    setError('')
  }

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.isComposing) return
    // Handled here: keep the page's own Esc handlers (modals, menus) from acting on it too.
    event.preventDefault()
    event.stopPropagation()
    if (editing) cancelEdit()
    else onClose()
  }

  const formDone = () => {
    $preChatDone.set(true)
    // After the render that shows the composer.
    setTimeout(focusInput)
  }

  return (
    <div
      ref={panelRef}
      class="panel"
      id={panelId}
      role="dialog"
      aria-label={title}
      hidden={!open}
      onKeyDown={onKeyDown}
    >
      <Header title={title} onClose={onClose} />
      {showForm && site?.preChatForm ? (
        <PreChatForm form={site.preChatForm} open={open} onDone={formDone} />
      ) : (
        <>
          <MessageList open={open} greeting={greeting} editingClientId={editing?.clientId} deleting={deletes.deleting} actions={actions} onError={showError} />
          {away && site && <AwayNotice site={site} emailRef={emailRef} onEmailSaved={() => (setError(''), focusInput())} />}
          <Composer
            value={editing ? editing.text : draft}
            editing={editing !== undefined}
            error={error}
            hint={conversation?.status === 'closed' ? strings.reopenHint : undefined}
            inputId={`${panelId}-input`}
            textareaRef={textareaRef}
            onInput={onInput}
            onSubmit={() => void submit()}
            onCancelEdit={cancelEdit}
            onFiles={sendChosen}
          />
          {dropping && (
            <div class="drop" aria-hidden="true">
              {strings.dropFiles}
            </div>
          )}
        </>
      )}
      {viewing && <Lightbox message={viewing} onClose={closeViewer} onError={showError} />}
    </div>
  )
}
