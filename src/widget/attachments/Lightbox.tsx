/**
 * A picture at full size, over the conversation: a dialog with the picture (scaled down only to
 * fit the panel), its name, Save and Close. Esc and Close return focus to the thumbnail.
 */
import { useEffect, useRef } from 'preact/hooks'
import type { ChatMessage } from '../../index'
import { fitBox } from '../../ui/attachment-format'
import { onModalKey } from '../../ui/modal-keys'
import { useWidget } from '../context'
import { CloseIcon } from '../icons'
import { drawInto, pictureOf } from './file-images'
import { saveFile } from './save-file'

/** The largest side drawn; the stylesheet scales the canvas down to the panel. */
const FULL_MAX = 2048

export function Lightbox({ message, onClose, onError }: { message: ChatMessage; onClose(): void; onError(error: unknown): void }) {
  const { client, strings, document } = useWidget()
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const closeRef = useRef<HTMLButtonElement>(null)
  const file = message.attachment!
  const box = fitBox(file.width, file.height, FULL_MAX)
  useEffect(() => {
    closeRef.current?.focus()
    let live = true
    pictureOf(client, message).then(
      (picture) => {
        if (!live || !canvasRef.current) return
        const full = fitBox(picture.width, picture.height, FULL_MAX)
        drawInto(canvasRef.current, picture, full.width, full.height)
        // Its CSS size is left to the stylesheet, which fits it to the panel keeping its shape.
        canvasRef.current.style.width = ''
        canvasRef.current.style.height = ''
      },
      (error: unknown) => live && onError(error),
    )
    return () => {
      live = false
    }
  }, [client, message])
  const save = () => saveFile(client, message, document).catch(onError)
  return (
    <div
      class="lightbox"
      role="dialog"
      aria-modal="true"
      aria-label={file.name}
      onKeyDown={(event) => onModalKey(event, event.currentTarget, onClose)}
    >
      <div class="lightbox-bar">
        <span class="lightbox-name">{file.name}</span>
        <button type="button" class="link-btn" onClick={() => void save()}>
          {strings.download}
        </button>
        <button type="button" ref={closeRef} class="icon-btn" aria-label={strings.closeImage} onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
      <div class="lightbox-body">
        <canvas ref={canvasRef} width={box.width} height={box.height} role="img" aria-label={file.name} />
      </div>
    </div>
  )
}
