/**
 * Reactions on a message: the chips under it, one per emoji with its count (pressed when this user
 * is among those who reacted; pressing it takes the reaction back), and a small button beside the
 * time that opens the server's emoji to add one. Shared by the widget and the inbox, which style
 * them and give them their words.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import type { Reaction } from '../index'

export interface ReactionLabels {
  /** The button that opens the emoji. */
  add: string
  /** One emoji's chip, read out: e.g. "👍 2, including you". */
  count(emoji: string, count: number, mine: boolean): string
}

interface ReactionProps {
  reactions: readonly Reaction[] | undefined
  meId: string | undefined
  /** The emoji the server offers; empty when reactions are off. */
  offered: readonly string[]
  labels: ReactionLabels
  onToggle(emoji: string, on: boolean): void
}

const isMine = (reaction: Reaction | undefined, meId: string | undefined) => reaction !== undefined && meId !== undefined && reaction.by.includes(meId)

/** The chips under a message; nothing when it has no reactions. */
export function ReactionChips({ reactions = [], meId, offered, labels, onToggle }: ReactionProps) {
  if (reactions.length === 0) return null
  return (
    <div class="reactions">
      {reactions.map((reaction) => {
        const mine = isMine(reaction, meId)
        return (
          <button
            key={reaction.emoji}
            type="button"
            class="reaction"
            aria-pressed={mine}
            aria-label={labels.count(reaction.emoji, reaction.by.length, mine)}
            // An emoji the server no longer offers can be taken back, not added.
            disabled={!mine && !offered.includes(reaction.emoji)}
            onClick={() => onToggle(reaction.emoji, !mine)}
          >
            <span aria-hidden="true">{reaction.emoji}</span>
            <span aria-hidden="true" class="reaction-count">
              {reaction.by.length}
            </span>
          </button>
        )
      })}
    </div>
  )
}

/** The button that opens the server's emoji, and the emoji; nothing when reactions are off. */
export function ReactionPicker({ reactions = [], meId, offered, labels, onToggle }: ReactionProps) {
  const [open, setOpen] = useState(false)
  const pickerRef = useRef<HTMLDivElement>(null)
  // Opened from the keyboard or a tap: the first emoji takes the focus.
  useEffect(() => {
    if (open) pickerRef.current?.querySelector('button')?.focus()
  }, [open])
  if (offered.length === 0) return null
  return (
    <span class="react">
      <button type="button" class="react-btn" aria-label={labels.add} title={labels.add} aria-expanded={open} onClick={() => setOpen(!open)}>
        <svg aria-hidden="true" focusable="false" width="15" height="15" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round">
          <circle cx="12" cy="12" r="9" />
          <path d="M8.5 14.5a4.5 4.5 0 0 0 7 0M9 9.5h.01M15 9.5h.01" />
        </svg>
      </button>
      {open && (
        <div
          ref={pickerRef}
          class="picker"
          role="group"
          aria-label={labels.add}
          onKeyDown={(event) => {
            if (event.key !== 'Escape') return
            // Closes the emoji, not the chat.
            event.stopPropagation()
            setOpen(false)
          }}
        >
          {offered.map((emoji) => {
            const pressed = isMine(reactions.find((reaction) => reaction.emoji === emoji), meId)
            return (
              <button
                key={emoji}
                type="button"
                class="pick"
                aria-pressed={pressed}
                onClick={() => {
                  setOpen(false)
                  onToggle(emoji, !pressed)
                }}
              >
                {emoji}
              </button>
            )
          })}
        </div>
      )}
    </span>
  )
}
