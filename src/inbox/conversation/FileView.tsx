/**
 * A message's file in the agent's view. The inbox is served by the chat server, so a file that is
 * there is read straight from it with the agent's session cookie: a picture is an `<img>` with its
 * size given before it loads (nothing below it moves), opening full size on click; any other file
 * is a download link with its name, kind and size. The agent's own unsent file shows from this
 * device, with its progress (or that it waits) and Cancel.
 */
import { useEffect, useState } from 'preact/hooks'
import { isImageType } from '../../protocol'
import type { ChatClient, ChatMessage } from '../../index'
import { fileSummary, fitBox } from '../../ui/attachment-format'
import { useChat, useInbox } from '../context'
import { fill } from '../i18n'

/** Largest side of a thumbnail, in CSS pixels. */
export const THUMB_MAX = 260

interface FileViewProps {
  message: ChatMessage
  onOpen(message: ChatMessage): void
  onCancel(clientId: string): void
}

/** Where the picture is read: the server (cookie), or this device while it is unsent. */
export function useFileSource(client: ChatClient, message: ChatMessage): string | undefined {
  const served = client.fileUrl(message)
  const [local, setLocal] = useState<string | undefined>(undefined)
  useEffect(() => {
    if (served) return
    let url: string | undefined
    let live = true
    client.readFile(message).then(
      (blob) => {
        url = URL.createObjectURL(blob)
        if (live) setLocal(url)
        else URL.revokeObjectURL(url)
      },
      // Bytes no longer on this device (a reload): the message says it failed, and why.
      () => live && setLocal(undefined),
    )
    return () => {
      live = false
      if (url) URL.revokeObjectURL(url)
    }
  }, [client, served, message.clientId])
  return served ?? local
}

export function FileView({ message, onOpen, onCancel }: FileViewProps) {
  const { strings } = useInbox()
  const { client } = useChat()
  const file = message.attachment!
  const source = useFileSource(client, message)
  const sending = message.own && message.status === 'pending' && file.id === undefined
  const box = fitBox(file.width, file.height, THUMB_MAX)
  return (
    <div class="file">
      {isImageType(file.type) ? (
        <button type="button" class="thumb" aria-label={fill(strings.openImage, { name: file.name })} onClick={() => onOpen(message)}>
          {/* Until the picture is there, an empty canvas of its size keeps its place. */}
          {source ? <img src={source} width={box.width} height={box.height} alt="" /> : <canvas width={box.width} height={box.height} aria-hidden="true" />}
        </button>
      ) : (
        <a class="file-chip" href={source ?? undefined} download={file.name} aria-label={`${strings.download}: ${file.name}, ${fileSummary(file)}`}>
          <svg aria-hidden="true" focusable="false" width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round">
            <path d="M14 3H6v18h12V7z" />
            <path d="M14 3v4h4" />
          </svg>
          <span class="file-text">
            <span class="file-name">{file.name}</span>
            {/* Not shown between the stacked lines; it keeps the visible text "name kind", as the label has it. */}
            {' '}
            <span class="file-meta">{fileSummary(file)}</span>
          </span>
        </a>
      )}
      {sending && (
        <div class="upload">
          {message.progress === undefined ? (
            <span>{strings.waitingToUpload}</span>
          ) : (
            <progress max={1} value={message.progress} aria-label={fill(strings.uploading, { name: file.name })} />
          )}
          <button type="button" class="link-btn" onClick={() => onCancel(message.clientId)}>
            {strings.cancel}
          </button>
        </div>
      )}
    </div>
  )
}
