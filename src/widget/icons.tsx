/** Decorative inline SVG icons; every one is `aria-hidden` — the buttons carry text names. */

const svg = { 'aria-hidden': 'true', focusable: 'false', fill: 'none', stroke: 'currentColor', 'stroke-linecap': 'round', 'stroke-linejoin': 'round' } as const

export const ChatIcon = () => (
  <svg {...svg} width="26" height="26" viewBox="0 0 24 24" stroke-width="2">
    <path d="M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.8A8 8 0 1 1 21 12z" />
  </svg>
)

export const CloseIcon = ({ size = 20 }: { size?: number }) => (
  <svg {...svg} width={size} height={size} viewBox="0 0 24 24" stroke-width="2.2">
    <path d="M6 6l12 12M18 6L6 18" />
  </svg>
)

/** A bell, struck through when the sound is off. */
export const BellIcon = ({ off }: { off: boolean }) => (
  <svg {...svg} width="18" height="18" viewBox="0 0 24 24" stroke-width="2">
    <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10.3 21a1.9 1.9 0 0 0 3.4 0" />
    {off && <path d="M3 3l18 18" />}
  </svg>
)
