/**
 * The inbox's keys, as a pure decision from a key press and where it happened: j/k or the arrows
 * move through conversations, Enter opens, Esc goes back, / goes to search. Letters never act while
 * the agent types in a field, and the arrows only act where they would not scroll something else.
 */
export type Shortcut = 'next' | 'previous' | 'open' | 'back' | 'search'

export interface KeyPress {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  isComposing?: boolean
}

export type FocusPlace = 'field' | 'list' | 'page' | 'other'

/** Where focus is: a text field, the conversation list box, nowhere in particular, or elsewhere. */
export function focusPlace(target: EventTarget | null, listbox: Element | null): FocusPlace {
  const el = target as HTMLElement | null
  if (!el || !el.tagName) return 'page'
  if (listbox && (el === listbox || listbox.contains(el))) return 'list'
  const tag = el.tagName
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable) return 'field'
  if (tag === 'BODY' || tag === 'HTML') return 'page'
  return 'other'
}

export function shortcutFor(press: KeyPress, place: FocusPlace): Shortcut | undefined {
  if (press.ctrlKey || press.metaKey || press.altKey || press.isComposing) return undefined
  if (press.key === 'Escape') return 'back'
  if (place === 'field') return undefined
  switch (press.key) {
    case 'j':
      return 'next'
    case 'k':
      return 'previous'
    case '/':
      return 'search'
    case 'ArrowDown':
      return place === 'list' || place === 'page' ? 'next' : undefined
    case 'ArrowUp':
      return place === 'list' || place === 'page' ? 'previous' : undefined
    case 'Enter':
      return place === 'list' || place === 'page' ? 'open' : undefined
    default:
      return undefined
  }
}
