/**
 * What an uploaded file really is, from its bytes: `file-type` reads the signature of binary
 * formats (and looks inside zip files for Word and Excel documents); a file with no signature is
 * text if it is well-formed UTF-8 without control characters and does not start like markup. The
 * name and the browser's type are only used to choose between types the bytes cannot tell apart
 * (old Word and Excel share one container; CSV is text). Images are measured (`image-size`).
 */
import { fileTypeFromBuffer } from 'file-type'
import { imageSize } from 'image-size'
import { claimedType, extensionOf, isImageType, UPLOAD_TYPES, type FileProblem } from '../../protocol'

/** Larger images are refused: decoding one would take a viewer's browser gigabytes. */
export const MAX_IMAGE_PIXELS = 50_000_000

export interface SniffedFile {
  type: string
  /** The name, with the type's ending added when it had another one (`invoice.html` → `invoice.html.txt`). */
  name: string
  width?: number
  height?: number
}

/** Old Word and Excel documents are Compound File Binary containers, told apart only by their names. */
const COMPOUND_FILE_TYPES = ['application/msword', 'application/vnd.ms-excel']

export async function sniffFile(bytes: Uint8Array, name: string, claimed: string, allowed: readonly string[]): Promise<SniffedFile | FileProblem> {
  const detected = await fileTypeFromBuffer(bytes)
  let type: string | undefined
  if (detected) {
    if (detected.mime === 'application/x-cfb') {
      const byName = claimedType(name, claimed, COMPOUND_FILE_TYPES)
      if (!byName) return refused(name, 'an Office document that is neither a .doc nor an .xls file')
      type = byName
    } else type = detected.mime
  } else {
    const text = textProblem(bytes)
    if (text) return refused(name, text)
    type = claimedType(name, claimed, ['text/csv']) ?? 'text/plain'
  }
  if (!allowed.includes(type)) return refused(name, detected ? `a ${detected.ext} file` : 'text')
  const file: SniffedFile = { type, name: withEnding(name, type) }
  if (!isImageType(type)) return file
  let size
  try {
    size = imageSize(bytes)
  } catch (error) {
    return refused(name, `an image that cannot be read (${(error as Error).message})`)
  }
  // EXIF orientations 5 to 8 turn the picture a quarter, and browsers show it turned.
  const turned = size.orientation !== undefined && size.orientation >= 5
  const width = turned ? size.height : size.width
  const height = turned ? size.width : size.height
  if (!(width > 0 && height > 0)) return refused(name, 'an image without a size')
  if (width * height > MAX_IMAGE_PIXELS) {
    return { code: 'too_large', message: `${name} is ${width}×${height} pixels; images may have at most ${MAX_IMAGE_PIXELS / 1e6} million` }
  }
  return { ...file, width, height }
}

function refused(name: string, what: string): FileProblem {
  return { code: 'unsupported_type', message: `${name} is ${what}, which cannot be sent here` }
}

/** Why these bytes are not plain text, or undefined when they are. */
function textProblem(bytes: Uint8Array): string | undefined {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return 'neither a known file type nor UTF-8 text'
  }
  if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text)) return 'binary data of an unknown type'
  // HTML, SVG and XML are never taken, whatever the name says: a browser could run them.
  if (/^[\s\ufeff]*</.test(text)) return 'markup (HTML, SVG or XML)'
  return undefined
}

/** The name with an ending of its type, so that a saved copy opens as what it is. */
function withEnding(name: string, type: string): string {
  const endings = UPLOAD_TYPES[type] ?? []
  return endings.includes(extensionOf(name)) ? name : `${name}.${endings[0] ?? 'bin'}`
}
