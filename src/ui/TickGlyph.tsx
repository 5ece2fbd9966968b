/**
 * The tick glyphs: a clock while pending, one tick when the server has the message, two when the
 * other side received it, two (coloured by the stylesheet) when they read it. Decorative: whoever
 * shows one gives it a text label.
 */
import type { MessageStatus } from '../index'

export type TickStatus = Exclude<MessageStatus, 'failed'>

const svg = { 'aria-hidden': 'true', focusable: 'false', fill: 'none', stroke: 'currentColor', 'stroke-width': '1.7', 'stroke-linecap': 'round', 'stroke-linejoin': 'round' } as const

const DoubleTick = () => (
  <svg {...svg} width="18" height="14" viewBox="0 0 20 16">
    <path d="M1.5 8.5l3 3 7-7M8 11l.5.5 7-7" />
  </svg>
)

const GLYPHS: Record<TickStatus, () => preact.JSX.Element> = {
  pending: () => (
    <svg {...svg} width="14" height="14" viewBox="0 0 16 16">
      <circle cx="8" cy="8" r="6" />
      <path d="M8 4.8V8l2.2 1.6" />
    </svg>
  ),
  sent: () => (
    <svg {...svg} width="14" height="14" viewBox="0 0 16 16">
      <path d="M3 8.5l3 3 7-7" />
    </svg>
  ),
  delivered: DoubleTick,
  read: DoubleTick,
}

export function TickGlyph({ status }: { status: TickStatus }) {
  const Glyph = GLYPHS[status]
  return <Glyph />
}
