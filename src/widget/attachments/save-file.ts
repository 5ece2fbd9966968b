/** Saves a message's file to the device, the way a download link would. */
import type { ChatClient, ChatMessage } from '../../index'

export async function saveFile(client: ChatClient, message: ChatMessage, document: Document): Promise<void> {
  const url = URL.createObjectURL(await client.readFile(message))
  const link = document.createElement('a')
  link.href = url
  link.download = message.attachment?.name ?? 'file'
  link.rel = 'noopener'
  // Inside the widget's host page, but never shown: clicked and removed at once.
  document.body.appendChild(link)
  link.click()
  link.remove()
  // The save has started by now; the URL is let go once it surely has been read.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
