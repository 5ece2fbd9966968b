/** Marks the conversation read whenever someone can actually see it: panel open, tab visible. */
import { useEffect, useState } from 'preact/hooks'
import type { ChatClient, ChatMessage } from '../index'

export function useDocumentVisible(doc: Document): boolean {
  const [visible, setVisible] = useState(() => doc.visibilityState !== 'hidden')
  useEffect(() => {
    const update = () => setVisible(doc.visibilityState !== 'hidden')
    update()
    doc.addEventListener('visibilitychange', update)
    return () => doc.removeEventListener('visibilitychange', update)
  }, [doc])
  return visible
}

export function useMarkRead(client: ChatClient, messages: ChatMessage[], open: boolean, doc: Document): void {
  const visible = useDocumentVisible(doc)
  useEffect(() => {
    // The client skips the request when nothing new is unread, so calling on every change is cheap.
    if (open && visible) client.markRead()
  }, [client, messages, open, visible])
}
