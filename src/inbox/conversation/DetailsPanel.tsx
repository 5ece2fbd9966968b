/**
 * Beside the conversation: what is known about the visitor. Today the conversation carries the
 * name, the e-mail (an identified visitor's) and the status; phase B adds the page, pages visited,
 * referrer, browser, locale, local time and visits here once the widget sends them.
 */
import type { Conversation } from '../../index'
import { useInbox } from '../context'
import { visitorName } from '../state/conversation-list'

export function DetailsPanel({ conversation }: { conversation: Conversation }) {
  const { strings, format } = useInbox()
  const rows: [string, string][] = [
    [strings.name, conversation.visitor.name ?? visitorName(conversation.visitor, strings)],
    [strings.email, conversation.visitor.email ?? strings.notGiven],
    [strings.status, strings[`status_${conversation.status}`]],
  ]
  if (conversation.createdAt > 0) rows.push([strings.conversation, format.full(conversation.createdAt)])
  return (
    <aside class="details" aria-labelledby="details-title">
      <h2 id="details-title">{strings.details}</h2>
      <dl>
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </aside>
  )
}
