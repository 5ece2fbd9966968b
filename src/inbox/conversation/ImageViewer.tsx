/** A picture at full size over the conversation; Esc or Close returns to it. */
import { useEffect, useRef } from 'preact/hooks'
import type { ChatMessage } from '../../index'
import { onModalKey } from '../../ui/modal-keys'
import { useChat, useInbox } from '../context'
import { useFileSource } from './FileView'

export function ImageViewer({ message, onClose }: { message: ChatMessage; onClose(): void }) {
  const { strings } = useInbox()
  const { client } = useChat()
  const source = useFileSource(client, message)
  const closeRef = useRef<HTMLButtonElement>(null)
  const file = message.attachment!
  useEffect(() => closeRef.current?.focus(), [])
  return (
    <div
      class="viewer"
      role="dialog"
      aria-modal="true"
      aria-label={file.name}
      onKeyDown={(event) => onModalKey(event, event.currentTarget, onClose)}
    >
      <div class="viewer-bar">
        <span class="viewer-name">{file.name}</span>
        {source && (
          <a class="ghost" href={source} download={file.name}>
            {strings.download}
          </a>
        )}
        <button type="button" ref={closeRef} class="ghost" onClick={onClose}>
          {strings.closeImage}
        </button>
      </div>
      <div class="viewer-body">{source && <img src={source} alt={file.name} />}</div>
    </div>
  )
}
