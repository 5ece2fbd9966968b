/**
 * The open conversation's heading: back (on a phone), the visitor's name and whether they are
 * online, the teammates who have it open too, and the status, which any agent can change.
 */
import type { Ref } from 'preact'
import type { Conversation, ConversationStatus, Presence } from '../../index'
import { useInbox } from '../context'
import { fill, listNames } from '../i18n'
import { visitorName } from '../state/conversation-list'

interface ConversationHeaderProps {
  conversation: Conversation
  presence: Presence | undefined
  /** False while this agent is not connected: presence is then old news and not shown. */
  live: boolean
  meId: string | undefined
  onBack: () => void
  onStatus: (status: ConversationStatus) => void
  headingRef: Ref<HTMLHeadingElement>
}

const STATUSES: ConversationStatus[] = ['open', 'pending', 'closed']

/** Other agents connected to this conversation, by name. */
export function teammatesHere(presence: Presence | undefined, meId: string | undefined, fallback: string): string[] {
  if (!presence) return []
  return Object.values(presence.users)
    .filter((user) => user.role === 'agent' && user.userId !== meId)
    .map((user) => user.name ?? fallback)
}

export function ConversationHeader({ conversation, presence, live, meId, onBack, onStatus, headingRef }: ConversationHeaderProps) {
  const { strings } = useInbox()
  const online = (presence ?? conversation.presence).visitorConnected
  const teammates = teammatesHere(presence ?? conversation.presence, meId, strings.agent)
  return (
    <header class="conv-header">
      <button type="button" class="back" onClick={onBack}>
        <span aria-hidden="true">←</span>
        <span class="back-label">{strings.back}</span>
      </button>
      <div class="conv-title">
        <h2 id="conversation-title" ref={headingRef} tabIndex={-1}>
          {visitorName(conversation.visitor, strings)}
          {conversation.channel === 'whatsapp' && <span class="chip channel">{fill(strings.whatsappNumber, { number: `+${conversation.visitor.id.slice('whatsapp:'.length)}` })}</span>}
        </h2>
        {live && (
          <p class="conv-sub">
            <span class="presence" data-online={online ? '' : undefined} aria-hidden="true" />
            {online ? strings.visitorOnline : strings.visitorAway}
            {teammates.length > 0 && <span class="also-here">{fill(strings.alsoHere, { names: listNames(strings, teammates) })}</span>}
          </p>
        )}
      </div>
      <label class="status-select">
        <span>{strings.status}</span>
        <select value={conversation.status} onChange={(event) => onStatus(event.currentTarget.value as ConversationStatus)}>
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {strings[`status_${status}`]}
            </option>
          ))}
        </select>
      </label>
    </header>
  )
}
