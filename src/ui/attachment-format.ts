/**
 * How a message's file is described and sized on screen, the same in the widget and the inbox:
 * a short kind ("PDF", "Word"), the size in words, and the box an image takes before it loads.
 */
import { extensionOf, megabytes } from '../protocol'
import type { ChatAttachment } from '../index'

const KINDS: Record<string, string> = {
  'application/pdf': 'PDF',
  'text/plain': 'Text',
  'text/csv': 'CSV',
  'application/msword': 'Word',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/vnd.ms-excel': 'Excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
  'application/zip': 'ZIP',
}

/** "PDF · 1.2 MB". */
export function fileSummary(file: ChatAttachment): string {
  const kind = KINDS[file.type] ?? (extensionOf(file.name).toUpperCase() || 'File')
  return `${kind} · ${megabytes(file.size)}`
}

/** The size an image is shown at: its own, scaled down to fit `max` (never up); a square when unknown. */
export function fitBox(width: number | undefined, height: number | undefined, max: number): { width: number; height: number } {
  if (!width || !height) return { width: max, height: Math.round(max * 0.75) }
  const scale = Math.min(1, max / width, max / height)
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}
