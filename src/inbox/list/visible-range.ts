/**
 * Which rows of a long list of equal-height rows are in the DOM: those in view plus a few above
 * and below, so 10,000 conversations cost the page a screenful of rows.
 */
export interface RowRange {
  /** First row rendered. */
  start: number
  /** One past the last row rendered. */
  end: number
}

export function visibleRange(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan = 5): RowRange {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight)
  const last = Math.ceil((Math.max(0, scrollTop) + viewportHeight) / rowHeight)
  return { start: Math.max(0, Math.min(count, first - overscan)), end: Math.min(count, last + overscan) }
}

/** The scrollTop that brings row `index` fully into view, or `scrollTop` when it already is. */
export function scrollToShow(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight
  if (top < scrollTop) return top
  if (top + rowHeight > scrollTop + viewportHeight) return top + rowHeight - viewportHeight
  return scrollTop
}
