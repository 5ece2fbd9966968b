/**
 * Delivery ticks for the user's own messages (glyphs in `src/ui/TickGlyph`). The glyph is
 * decorative; the label ("Sending", "Sent", …) is what assistive technology reads.
 */
import { TickGlyph, type TickStatus } from '../ui/TickGlyph'
import { useWidget } from './context'
import { tickLabel } from './i18n'

export function Ticks({ status }: { status: TickStatus }) {
  const { strings } = useWidget()
  const label = tickLabel(strings, status)
  return (
    <span class="ticks" data-status={status} role="img" aria-label={label} title={label}>
      <TickGlyph status={status} />
    </span>
  )
}
