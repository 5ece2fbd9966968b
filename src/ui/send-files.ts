/**
 * Files the visitor chose (the button, a drop, a paste), sent one message each, in the order given.
 * Pictures are measured first, so their messages take their place at once.
 */
import type { ChatClient } from '../../index'
import { measure } from './file-images'

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
