/**
 * The open conversation's heading: back (on a phone), the visitor's name and whether they are
 * online, the teammates who have it open too, the status, and who it is assigned to (any agent
 * may assign it to themselves, a teammate, or nobody).
 */
import { useStore } from '@nanostores/preact'
import type { Ref } from 'preact'
import type { Author, Conversation, ConversationStatus, Presence } from '../../index'
import type { Agent } from '../api/auth-api'
import { useChat, useInbox } from '../context'
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
  /** An agent's id, or null for nobody. */
  onAssign: (agentId: string | null) => void
  headingRef: Ref<HTMLHeadingElement>
  /** The visitor details' button (shown on narrow screens, where the panel is hidden until asked for). */
  details: { open: boolean; toggle: () => void; ref: Ref<HTMLButtonElement> }
}

const STATUSES: ConversationStatus[] = ['open', 'pending', 'closed']

/** Other agents connected to this conversation, by name. */
export function teammatesHere(presence: Presence | undefined, meId: string | undefined, fallback: string): string[] {
  if (!presence) return []
  return Object.values(presence.users)
    .filter((user) => user.role === 'agent' && user.userId !== meId)
    .map((user) => user.name ?? fallback)
}

/**
 * Who a conversation can be assigned to: this agent first, then the team by name; an assignee the
 * team list does not hold (removed since, or a server without accounts) is kept so it can be shown.
 */
export function assigneeChoices(team: readonly Agent[] | undefined, me: Author | undefined, current: Author | undefined): { id: string; name: string; me: boolean }[] {
  const choices = new Map<string, { id: string; name: string; me: boolean }>()
  if (me) choices.set(me.id, { id: me.id, name: me.name ?? me.id, me: true })
  for (const agent of [...(team ?? [])].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!choices.has(agent.id)) choices.set(agent.id, { id: agent.id, name: agent.name, me: false })
  }
  if (current && !choices.has(current.id)) choices.set(current.id, { id: current.id, name: current.name ?? current.id, me: false })
  return [...choices.values()]
}

export function ConversationHeader({ conversation, presence, live, meId, onBack, onStatus, onAssign, headingRef, details }: ConversationHeaderProps) {
  const { strings } = useInbox()
  const { client, team } = useChat()
  const me = useStore(client.user)
  const choices = assigneeChoices(team, me?.id === meId ? me : undefined, conversation.assignee)
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
      <button type="button" class="ghost details-toggle" ref={details.ref} aria-expanded={details.open} aria-controls="visitor-details" onClick={details.toggle}>
        {strings.showDetails}
      </button>
      <label class="status-select assignee-select">
        <span>{strings.assignee}</span>
        <select value={conversation.assignee?.id ?? ''} onChange={(event) => onAssign(event.currentTarget.value === '' ? null : event.currentTarget.value)}>
          <option value="">{strings.nobody}</option>
          {choices.map((choice) => (
            <option key={choice.id} value={choice.id}>
              {choice.me ? fill(strings.youAgent, { name: choice.name }) : choice.name}
            </option>
          ))}
        </select>
      </label>
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
