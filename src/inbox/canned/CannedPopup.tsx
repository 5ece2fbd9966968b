/**
 * The team's canned replies that fit the `/name` being typed, under the reply box: a list box whose
 * active option the reply box names (`aria-activedescendant`), so focus never leaves the text.
 * The count and the keys are announced when it opens.
 */
import { useInbox } from '../context'
import { counted } from '../i18n'
import type { CannedReply } from './slash'

export const POPUP_ID = 'canned-popup'
export const optionId = (index: number): string => `canned-option-${index}`

interface CannedPopupProps {
  matches: readonly CannedReply[]
  active: number
  onPick: (reply: CannedReply) => void
}

export function CannedPopup({ matches, active, onPick }: CannedPopupProps) {
  const { strings } = useInbox()
  return (
    <div class="canned-popup">
      <ul id={POPUP_ID} role="listbox" aria-label={strings.cannedReplies}>
        {matches.map((reply, index) => (
          <li
            key={reply.id}
            id={optionId(index)}
            role="option"
            aria-selected={index === active}
            class="canned-option"
            // The text keeps focus: a click picks without taking it away.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => onPick(reply)}
          >
            <span class="canned-name">/{reply.name}</span>
            <span class="canned-text">{reply.text}</span>
          </li>
        ))}
      </ul>
      <p class="sr-only" role="status">
        {counted(strings.cannedCountOne, strings.cannedCountMany, matches.length)}
      </p>
    </div>
  )
}
