/**
 * What both chat UIs (the widget's panel and the inbox's conversation) do with one message,
 * through the client: retry, discard, start an edit, remove, cancel an upload, react, open a
 * picture. Each UI says how it shows a refusal and how it removes (the widget offers an undo
 * before it asks the server).
 */
import { useCallback } from 'preact/hooks'
import type { ChatClient, ChatMessage } from '../index'

/** The message being edited: its text in the box and what it was. */
export interface EditingMessage {
  id: string
  clientId: string
  original: string
  text: string
}

export interface MessageActions {
  retry(clientId: string): void
  discard(clientId: string): void
  edit(message: ChatMessage): void
  remove(message: ChatMessage): void
  /** Stops a file going up (its message is dropped). */
  cancel(clientId: string): void
  react(message: ChatMessage, emoji: string, on: boolean): void
  /** Shows a picture full size. */
  open(message: ChatMessage): void
}

export type Attempt = (call: () => unknown) => Promise<boolean>

/** Runs a client call, showing whatever it throws or rejects with; true when it succeeded. */
export function useAttempt(showError: (error: unknown) => void): Attempt {
  return useCallback(
    async (call: () => unknown): Promise<boolean> => {
      try {
        await call()
        return true
      } catch (e) {
        showError(e)
        return false
      }
    },
    [showError],
  )
}

export interface MessageUi {
  attempt: Attempt
  setEditing(update: (current: EditingMessage | undefined) => EditingMessage | undefined): void
  /** An edit began: clear the last error, put focus in the box. */
  editStarted(): void
  /** Removes the message with this id (at once, or after an undo window). */
  remove(id: string): void
  open(message: ChatMessage): void
}

export function messageActions(client: ChatClient, ui: MessageUi): MessageActions {
  return {
    retry: (clientId) => void ui.attempt(() => client.retry(clientId)),
    discard: (clientId) => void ui.attempt(() => client.discard(clientId)),
    edit: (message) => {
      if (message.id === undefined) return
      const editing = { id: message.id, clientId: message.clientId, original: message.text, text: message.text }
      ui.setEditing(() => editing)
      ui.editStarted()
    },
    remove: (message) => {
      const id = message.id
      if (id === undefined) return
      ui.setEditing((current) => (current?.id === id ? undefined : current))
      ui.remove(id)
    },
    cancel: (clientId) => void ui.attempt(() => client.cancel(clientId)),
    react: (message, emoji, on) => {
      if (message.id !== undefined) void ui.attempt(() => client.react(message.id!, emoji, on))
    },
    open: (message) => ui.open(message),
  }
}
