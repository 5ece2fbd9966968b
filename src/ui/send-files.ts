/**
 * Files someone chose (the button, a drop, a paste), sent one message each, in the order given.
 * Pictures are measured first, so their messages take their place at once. Shared by the widget
 * and the inbox.
 */
import type { ChatClient } from '../index'

export async function sendFiles(client: ChatClient, files: Iterable<File>, onError: (error: unknown) => void): Promise<void> {
  for (const file of files) {
    const size = await measure(file)
    try {
      client.sendFile(file, size ?? {})
    } catch (error) {
      // Too large, a type the server does not take: said, and the other files still go.
      onError(error)
    }
  }
}

/** What the input's `accept` says: the server's types and their name endings. */
export function acceptOf(types: readonly string[], endings: (type: string) => readonly string[]): string {
  return [...types, ...types.flatMap((type) => endings(type).map((ending) => `.${ending}`))].join(',')
}

/** Measures a chosen picture so its message takes its place at once; undefined when it cannot. */
export async function measure(file: File): Promise<{ width: number; height: number } | undefined> {
  if (!file.type.startsWith('image/') || typeof createImageBitmap !== 'function') return undefined
  try {
    const picture = await createImageBitmap(file)
    const size = { width: picture.width, height: picture.height }
    picture.close()
    return size
  } catch {
    // Not decodable here: sent all the same, shown at a default size until the server measures it.
    return undefined
  }
}

/** Files a drag carries, or a paste: none when it carries something else (text, a link). */
export function carriedFiles(data: DataTransfer | null | undefined): File[] {
  return data?.types.includes('Files') ? [...data.files] : []
}
