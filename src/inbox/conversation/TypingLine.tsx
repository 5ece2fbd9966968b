/**
 * Who is typing in the open conversation: the visitor, or a teammate ("Budi is typing…"), so two
 * agents do not answer at once by surprise. The line keeps its height when empty, so the messages
 * do not jump.
 */
import { useStore } from '@nanostores/preact'
import type { Conversation } from '../../index'
import { useChat, useInbox } from '../context'
import { fill, listNames } from '../i18n'
import { authorName } from '../state/conversation-list'

export function TypingLine({ conversation }: { conversation: Conversation | undefined }) {
  const { strings } = useInbox()
  const { client } = useChat()
  const typing = useStore(client.typing)
  const me = useStore(client.user)
  const names = typing.map((author) => authorName(author, me?.id, conversation?.visitor, strings))
  return (
    <p class="typing-line" aria-live="polite">
      {names.length > 0 && (
        <>
          <span class="dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {fill(names.length === 1 ? strings.typingOne : strings.typingMany, { names: listNames(strings, names) })}
        </>
      )}
    </p>
  )
}
