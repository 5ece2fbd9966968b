/**
 * The chat dialog. Owns what the visitor is working on — the draft, an edit in progress and the
 * last error — so it survives closing and reopening (the panel is hidden, not unmounted).
 */
import type { Ref, RefObject } from 'preact'
import { useCallback, useMemo, useState } from 'preact/hooks'
import type { ChatMessage } from '../index'
import { Lightbox } from './attachments/Lightbox'
import { sendFiles } from '../ui/send-files'
import { useFileDrop } from '../ui/use-file-drop'
import { Composer } from './Composer'
import { useWidget } from './context'
import type { DraftStore } from './draft-storage'
import { Header } from './Header'
import type { MessageActions } from './MessageBubble'
import { MessageList } from './MessageList'

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

interface Editing {
  id: string
  clientId: string
  original: string
  text: string
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error))

export function Panel({ open, panelId, title, greeting, draftStore, panelRef, textareaRef, onClose }: PanelProps) {
  const { client, strings } = useWidget()
  const [draft, setDraft] = useState(() => draftStore.load())
  const [editing, setEditing] = useState<Editing | undefined>(undefined)
  const [error, setError] = useState('')
  /** The picture shown full size. */
  const [viewing, setViewing] = useState<ChatMessage | undefined>(undefined)

  const showError = useCallback((e: unknown) => setError(errorText(e)), [])
  const focusInput = useCallback(() => textareaRef.current?.focus(), [textareaRef])

  /** Runs a client call, showing whatever it throws or rejects with; true when it succeeded. */
  const attempt = useCallback(
    async (call: () => unknown): Promise<boolean> => {
      try {
        await call()
        return true
      } catch (e) {
        showError(e)
        return false
      }
    },
    [showError],
  )

  // Stable for the panel's lifetime, so memoised bubbles do not re-render for new callbacks.
  const actions = useMemo<MessageActions>(
    () => ({
      retry: (clientId) => void attempt(() => client.retry(clientId)),
      discard: (clientId) => void attempt(() => client.discard(clientId)),
      edit: (message: ChatMessage) => {
        if (message.id === undefined) return
        setEditing({ id: message.id, clientId: message.clientId, original: message.text, text: message.text })
        setError('')
        focusInput()
      },
      remove: (message: ChatMessage) => {
        const id = message.id
        if (id === undefined) return
        setEditing((current) => (current?.id === id ? undefined : current))
        void attempt(() => client.remove(id))
      },
      cancel: (clientId) => void attempt(() => client.cancel(clientId)),
      react: (message, emoji, on) => {
        if (message.id !== undefined) void attempt(() => client.react(message.id!, emoji, on))
      },
      open: (message) => setViewing(message),
      error: showError,
    }),
    [client, attempt, focusInput, showError],
  )

  const sendChosen = useCallback((files: File[]) => {
    setError('')
    void sendFiles(client, files, showError)
  }, [client, showError])

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
      <MessageList open={open} greeting={greeting} editingClientId={editing?.clientId} actions={actions} onError={showError} />
      <Composer
        value={editing ? editing.text : draft}
        editing={editing !== undefined}
        error={error}
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
      {viewing && <Lightbox message={viewing} onClose={closeViewer} onError={showError} />}
    </div>
  )
}
