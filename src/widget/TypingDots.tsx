/** Three bouncing dots while the other side types; the animation stops under reduced motion. */
import { useWidget } from './context'

export function TypingDots() {
  const { strings } = useWidget()
  return (
    <div class="typing">
      <span class="dots" aria-hidden="true">
        <span />
        <span />
        <span />
      </span>
      <span class="sr-only">{strings.typing}</span>
    </div>
  )
}
