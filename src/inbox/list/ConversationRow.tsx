/**
 * One conversation in the list: the visitor's name with an online dot (and the word, for those who
 * cannot see colours), the time of the last activity, the last message's start, who it is
 * assigned to and the unread count. An `option` of the list box; the open conversation is also
 * `aria-current`.
 */
import type { Conversation } from '../../index'
import { useInbox } from '../context'
import { counted, fill } from '../i18n'
import { memo } from '../../ui/memo'
import { authorName, previewText, visitorName } from '../state/conversation-list'

interface ConversationRowProps {
  conversation: Conversation
  index: number
  count: number
  top: number
  meId: string | undefined
  active: boolean
  open: boolean
  showStatus: boolean
  showAssignee: boolean
  onPick: (roomId: string) => void
}

export const rowId = (roomId: string): string => `conversation-${roomId}`

function ConversationRowView({ conversation, index, count, top, meId, active, open, showStatus, showAssignee, onPick }: ConversationRowProps) {
  const { strings, format, now } = useInbox()
  const online = conversation.presence.visitorConnected
  const unread = conversation.unread.agent
  const at = conversation.lastMessage?.createdAt ?? conversation.updatedAt
  const assignee = showAssignee && conversation.assignee ? authorName(conversation.assignee, meId, undefined, strings) : undefined
  return (
    <div
      role="option"
      id={rowId(conversation.roomId)}
      class="conv"
      aria-selected={active}
      aria-current={open ? 'true' : undefined}
      aria-posinset={index + 1}
      aria-setsize={count}
      data-room={conversation.roomId}
      data-unread={unread > 0 ? '' : undefined}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => onPick(conversation.roomId)}
    >
      <span class="conv-line">
        <span class="presence" data-online={online ? '' : undefined} aria-hidden="true" />
        <span class="conv-name">{visitorName(conversation.visitor, strings)}</span>
        {conversation.channel === 'whatsapp' && <span class="chip channel">{strings.whatsapp}</span>}
        <span class="sr-only">{`, ${online ? strings.online : strings.away}, `}</span>
        {showStatus && <span class="chip" data-status={conversation.status}>{strings[`status_${conversation.status}`]}</span>}
        <time class="conv-time" dateTime={new Date(at).toISOString()}>
          {format.listTime(at, now())}
        </time>
      </span>
      <span class="conv-line">
        <span class="conv-preview">{previewText(conversation, meId, strings)}</span>
        {assignee !== undefined && (
          <span class="assignee-chip">
            <span class="sr-only">{`, ${fill(strings.assignedTo, { name: assignee })}`}</span>
            <span aria-hidden="true">{assignee}</span>
          </span>
        )}
        {unread > 0 && (
          <span class="badge">
            <span aria-hidden="true">{unread}</span>
            <span class="sr-only">{`, ${counted(strings.unreadOne, strings.unreadMany, unread)}`}</span>
          </span>
        )}
      </span>
    </div>
  )
}

export const ConversationRow = memo(ConversationRowView)
