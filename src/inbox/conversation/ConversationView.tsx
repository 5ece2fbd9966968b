/**
 * The open conversation: heading (status, assignment), messages, who is typing, replies waiting
 * for the connection, the reply box, and the visitor's details beside it. Owns what the agent is
 * working on here: the edit in progress and the last refusal; the draft lives with the inbox so it
 * survives switching conversations. A search hit opens it at that message (`target`).
 */
import { useStore } from '@nanostores/preact'
import type { RefObject } from 'preact'
import { useCallback, useMemo, useRef, useState } from 'preact/hooks'
import type { ChatMessage, Conversation, ConversationStatus } from '../../index'
import { useChat, useInbox } from '../context'
import { counted } from '../i18n'
import { errorText } from '../error-text'
import { sendFiles } from '../../ui/send-files'
import { useFileDrop } from '../../ui/use-file-drop'
import { messageActions, useAttempt, type EditingMessage } from '../../ui/message-actions'
import { ConversationHeader } from './ConversationHeader'
import { DetailsPanel } from './DetailsPanel'
import { ImageViewer } from './ImageViewer'
import { MessageLog } from './MessageLog'
import { ReplyBox } from './ReplyBox'
import { TypingLine } from './TypingLine'

/** A message to show when the conversation opens (a search hit). */
export interface MessageTarget {
  roomId: string
  messageId: string
  seq: number
}

interface ConversationViewProps {
  /** The list's copy; the client's own (live since the join) wins once it is about this room. */
  listed: Conversation
  visible: boolean
  target?: MessageTarget | undefined
  draft: string
  onDraft: (text: string) => void
  onBack: () => void
  textareaRef: RefObject<HTMLTextAreaElement>
}

export function ConversationView({ listed, visible, target, draft, onDraft, onBack, textareaRef }: ConversationViewProps) {
  const { strings } = useInbox()
  const { client } = useChat()
  const joined = useStore(client.conversation)
  const livePresence = useStore(client.presence)
  const status = useStore(client.status)
  const messages = useStore(client.messages)
  const me = useStore(client.user)
  const lost = useStore(client.conversationLost)
  const conversation = joined?.roomId === listed.roomId ? joined : listed
  const presence = joined?.roomId === listed.roomId ? livePresence : listed.presence
  const [editing, setEditing] = useState<EditingMessage | undefined>(undefined)
  const [error, setError] = useState('')
  /** The picture shown full size. */
  const [viewing, setViewing] = useState<ChatMessage | undefined>(undefined)
  const [detailsOpen, setDetailsOpen] = useState(false)
  const detailsButton = useRef<HTMLButtonElement>(null)
  const headingRef = useRef<HTMLHeadingElement>(null)

  const showError = useCallback((e: unknown) => setError(errorText(e)), [])
  const attempt = useAttempt(showError)
  const focusReply = useCallback(() => textareaRef.current?.focus(), [textareaRef])

  const actions = useMemo(
    () =>
      messageActions(client, {
        attempt,
        setEditing,
        editStarted: () => {
          setError('')
          focusReply()
        },
        remove: (id) => void attempt(() => client.remove(id)),
        open: setViewing,
      }),
    [client, attempt, focusReply],
  )

  const sectionRef = useRef<HTMLElement>(null)
  const uploads = useStore(client.features).uploads
  const sendChosen = useCallback(
    (files: File[]) => {
      setError('')
      void sendFiles(client, files, showError)
    },
    [client, showError],
  )
  const dropping = useFileDrop(sectionRef, sendChosen, uploads !== undefined && editing === undefined)

  /** Focus goes back to the picture's thumbnail when the full-size view closes. */
  const closeViewer = () => {
    const clientId = viewing?.clientId
    setViewing(undefined)
    sectionRef.current?.querySelector<HTMLElement>(`[data-client-id="${clientId}"] .thumb`)?.focus()
  }

  const cancelEdit = () => {
    setEditing(undefined)
    setError('')
    focusReply()
  }

  const onInput = (text: string) => {
    if (error) setError('')
    if (editing) return setEditing({ ...editing, text })
    onDraft(text)
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
    try {
      client.send(text)
    } catch (e) {
      // Empty, too long, or the outbox is full: the draft stays as it was.
      showError(e)
      return
    }
    onDraft('')
    setError('')
    client.setTyping(false)
  }

  const changeStatus = (next: ConversationStatus) => void attempt(() => client.setConversationStatus(next))
  const assign = (agentId: string | null) => void attempt(() => client.assignConversation(conversation.roomId, agentId))
  const waiting = status === 'connected' ? 0 : messages.filter((m) => m.status === 'pending').length

  return (
    <div class="conversation-wrap">
      <section ref={sectionRef} class="conversation" aria-labelledby="conversation-title">
        <ConversationHeader
          conversation={conversation}
          presence={presence}
          live={status === 'connected'}
          meId={me?.id}
          onBack={onBack}
          onStatus={changeStatus}
          onAssign={assign}
          headingRef={headingRef}
          details={{ open: detailsOpen, toggle: () => setDetailsOpen(!detailsOpen), ref: detailsButton }}
        />
        {lost?.roomId === conversation.roomId && lost.reason === 'restarted' && (
          <p class="lost-note" role="status">
            {strings.lostRestarted}
          </p>
        )}
        <MessageLog
          conversation={conversation}
          joined={joined?.roomId === listed.roomId}
          visible={visible}
          target={target}
          editingClientId={editing?.clientId}
          actions={actions}
        />
        <TypingLine conversation={conversation} />
        {waiting > 0 && (
          <p class="outbox-note" role="status">
            {counted(strings.waitingOne, strings.waitingMany, waiting)}
          </p>
        )}
        <ReplyBox
          value={editing ? editing.text : draft}
          editing={editing !== undefined}
          error={error}
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
        {viewing && <ImageViewer message={viewing} onClose={closeViewer} />}
      </section>
      <DetailsPanel
        conversation={conversation}
        open={detailsOpen}
        onClose={() => {
          setDetailsOpen(false)
          detailsButton.current?.focus()
        }}
      />
    </div>
  )
}
