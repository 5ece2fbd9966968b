/**
 * The unread count in front of the page's title while the tab is hidden — `(2) Toko Kopi` — and
 * the page's own title back, exactly as it was, once the tab is looked at or everything is read.
 * A page that changes its own title meanwhile (a single-page app) keeps its new title.
 */
export interface UnreadTitle {
  update(unread: number, hidden: boolean): void
}

export function unreadTitle(doc: Document): UnreadTitle {
  /** The page's own title, and what this put in its place, while a count is shown. */
  let base = ''
  let shown: string | undefined
  return {
    update(unread, hidden) {
      if (hidden && unread > 0) {
        if (shown === undefined || doc.title !== shown) base = doc.title
        shown = `(${unread > 99 ? '99+' : unread}) ${base}`
        if (doc.title !== shown) doc.title = shown
      } else if (shown !== undefined) {
        if (doc.title === shown) doc.title = base
        shown = undefined
      }
    },
  }
}
