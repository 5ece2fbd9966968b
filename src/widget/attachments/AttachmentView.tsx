/**
 * A message's file in its bubble. A picture is a thumbnail whose size is taken before it loads (no
 * jump when it arrives) and opens full size; any other file is a chip with its name, kind and
 * size that saves it. While the user's own file goes up: a progress bar and Cancel.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import { isImageType } from '../../protocol'
import type { ChatMessage } from '../../index'
import { fileSummary, fitBox } from '../../ui/attachment-format'
import { useWidget } from '../context'
import { drawInto, pictureOf } from './file-images'
import { saveFile } from './save-file'

/** Largest side of a thumbnail, in CSS pixels. */
export const THUMB_MAX = 220

interface AttachmentViewProps {
  message: ChatMessage
  onOpen(message: ChatMessage): void
  onCancel(clientId: string): void
  onError(error: unknown): void
}

export function AttachmentView({ message, onOpen, onCancel, onError }: AttachmentViewProps) {
  const { strings } = useWidget()
  const file = message.attachment!
  const sending = message.own && message.status === 'pending' && file.id === undefined
  return (
    <div class="file">
      {isImageType(file.type) ? <Thumbnail message={message} onOpen={onOpen} /> : <FileChip message={message} onError={onError} />}
      {sending && (
        <div class="upload">
          {message.progress === undefined ? (
            <span class="upload-wait">{strings.waitingToUpload}</span>
          ) : (
            <progress max={1} value={message.progress} aria-label={`${strings.uploading} ${file.name}`} />
          )}
          <button type="button" class="link-btn" onClick={() => onCancel(message.clientId)}>
            {strings.cancel}
          </button>
        </div>
      )}
    </div>
  )
}

function Thumbnail({ message, onOpen }: { message: ChatMessage; onOpen(message: ChatMessage): void }) {
  const { client, strings } = useWidget()
  const file = message.attachment!
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const [state, setState] = useState<'loading' | 'shown' | 'failed'>('loading')
  const box = fitBox(file.width, file.height, THUMB_MAX)
  const key = file.id ?? message.clientId
  useEffect(() => {
    let live = true
    pictureOf(client, message).then(
      (picture) => {
        if (!live || !canvasRef.current) return
        // Measured by the server (or here): the picture fills the box kept for it.
        const shown = fitBox(file.width ?? picture.width, file.height ?? picture.height, THUMB_MAX)
        drawInto(canvasRef.current, picture, shown.width, shown.height)
        setState('shown')
      },
      () => live && setState('failed'),
    )
    return () => {
      live = false
    }
    // Drawn again only when it is another file (an unsent one gets its server id: the same picture).
  }, [client, key])
  return (
    <button type="button" class="thumb" data-state={state} aria-label={`${strings.openImage}: ${file.name}`} onClick={() => onOpen(message)}>
      <canvas ref={canvasRef} width={box.width} height={box.height} aria-hidden="true" />
      {state === 'failed' && <span class="thumb-name">{file.name}</span>}
    </button>
  )
}

function FileChip({ message, onError }: { message: ChatMessage; onError(error: unknown): void }) {
  const { client, strings, document } = useWidget()
  const file = message.attachment!
  const save = () => saveFile(client, message, document).catch(onError)
  return (
    <button type="button" class="file-chip" onClick={() => void save()} aria-label={`${strings.download}: ${file.name}, ${fileSummary(file)}`}>
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
    </button>
  )
}
