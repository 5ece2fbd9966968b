/**
 * Which files may be sent, as both sides see it: the client checks a file before it uploads, so
 * the user hears at once; the server checks again by the file's content, because a name or a
 * browser's guess proves nothing.
 */
import { MAX_FILE_NAME } from './constants'
import { truncate } from './text-rules'
import type { UploadLimits } from './types'

/** Every type a server can be told to accept, with the name endings that claim it. */
export const UPLOAD_TYPES: Readonly<Record<string, readonly string[]>> = {
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'image/webp': ['webp'],
  'image/gif': ['gif'],
  'application/pdf': ['pdf'],
  'text/plain': ['txt'],
  'text/csv': ['csv'],
  'application/msword': ['doc'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.ms-excel': ['xls'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'application/zip': ['zip'],
}

/** A server's allowed types unless told otherwise: all of the above. */
export const DEFAULT_UPLOAD_TYPES: readonly string[] = Object.keys(UPLOAD_TYPES)

/** Shown inline (as a picture) rather than offered for download. */
export const isImageType = (type: string): boolean => type.startsWith('image/')

/** `report.PDF` → `pdf`; no dot → ''. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : ''
}

/**
 * The allowed type a file claims, by its MIME type when that is an allowed one, else by its name's
 * ending (browsers leave the type empty, or say `application/octet-stream`, for many files).
 */
export function claimedType(name: string, type: string, allowed: readonly string[]): string | undefined {
  const mime = type.split(';')[0]!.trim().toLowerCase()
  if (allowed.includes(mime)) return mime
  const extension = extensionOf(name)
  return allowed.find((candidate) => UPLOAD_TYPES[candidate]?.includes(extension))
}

export type FileProblem = { code: 'too_large' | 'unsupported_type' | 'bad_request'; message: string }

/** Why this file cannot be sent to a server with these limits, or undefined when it can. */
export function fileProblem(file: { name: string; type: string; size: number }, limits: UploadLimits): FileProblem | undefined {
  if (!(file.size > 0)) return { code: 'bad_request', message: `${file.name || 'The file'} is empty` }
  if (file.size > limits.maxBytes) {
    return { code: 'too_large', message: `${file.name} is ${megabytes(file.size)}; the limit is ${megabytes(limits.maxBytes)}` }
  }
  if (!claimedType(file.name, file.type, limits.types)) {
    return { code: 'unsupported_type', message: `${file.name} is not a file type that can be sent (${allowedEndings(limits.types)})` }
  }
  return undefined
}

/** The name endings of these types, for messages: "jpg, jpeg, png, pdf". */
export function allowedEndings(types: readonly string[]): string {
  return types.flatMap((type) => UPLOAD_TYPES[type] ?? []).join(', ')
}

/** 1536 → "1.5 KB", 10485760 → "10 MB" (binary multiples, as file managers show them). */
export function megabytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value >= 10 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1)} ${units[unit]}`
}

/**
 * A file name as it is kept and shown: the last path segment, without controls or characters
 * that mean something to a file system, cut to `MAX_FILE_NAME` with its ending kept. Never empty.
 */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? ''
  const clean = base.normalize('NFC').replace(/[\u0000-\u001f\u007f"<>:|?*\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim()
  const safe = clean.replace(/^\.+/, '') || 'file'
  if (safe.length <= MAX_FILE_NAME) return safe
  const extension = extensionOf(safe)
  const ending = extension && extension.length < 16 ? `.${extension}` : ''
  return truncate(safe, MAX_FILE_NAME - ending.length) + ending
}
