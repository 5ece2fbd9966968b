/**
 * Pictures from files, drawn into canvases. A canvas needs no URL, so a picture shows on any page,
 * whatever its Content-Security-Policy allows for images (an `<img>` would need `blob:` or the
 * chat server in `img-src`). Decoded pictures are kept for the page's life, a few dozen at most.
 */
import type { ChatClient, ChatMessage } from '../../index'

/** Decoded pictures kept, newest last. */
const KEEP = 40
const decoded = new Map<string, Promise<ImageBitmap>>()

/** What names a message's file for as long as it is the same file: the server's id, else this device's. */
const keyOf = (message: ChatMessage): string => message.attachment?.id ?? `local:${message.clientId}`

/** The message's picture, decoded once; rejects when it cannot be read or this browser cannot decode it. */
export function pictureOf(client: ChatClient, message: ChatMessage): Promise<ImageBitmap> {
  const key = keyOf(message)
  const held = decoded.get(key) ?? decoded.get(`local:${message.clientId}`)
  if (held) return held
  if (typeof createImageBitmap !== 'function') return Promise.reject(new Error('this browser cannot decode pictures here'))
  const picture = client.readFile(message).then((blob) => createImageBitmap(blob))
  decoded.set(key, picture)
  picture.catch(() => decoded.delete(key))
  if (decoded.size > KEEP) {
    const [oldest] = decoded.keys()
    if (oldest !== undefined) decoded.delete(oldest)
  }
  return picture
}

/**
 * Draws the picture into the canvas at its shown size, sharp on high-density screens: the canvas
 * holds size × devicePixelRatio pixels, and its CSS size (set through the CSSOM, which a strict
 * policy allows) stays the shown size.
 */
export function drawInto(canvas: HTMLCanvasElement, picture: ImageBitmap, width: number, height: number): void {
  const ratio = Math.min(3, canvas.ownerDocument.defaultView?.devicePixelRatio ?? 1)
  canvas.width = Math.round(width * ratio)
  canvas.height = Math.round(height * ratio)
  canvas.style.width = `${width}px`
  canvas.style.height = `${height}px`
  const context = canvas.getContext('2d')
  if (!context) return
  context.imageSmoothingQuality = 'high'
  context.drawImage(picture, 0, 0, canvas.width, canvas.height)
}
