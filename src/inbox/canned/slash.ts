/**
 * Canned replies in the reply box, as pure functions: a `/name` being typed at the caret, the
 * team's replies that fit it, and the text with the reply put in its place.
 */
export interface CannedReply {
  id: string
  /** What agents type after `/`: 1–32 of `a-z 0-9 - _`. */
  name: string
  text: string
  updatedAt: number
}

export interface SlashQuery {
  /** Where the `/` is. */
  start: number
  /** What follows it, up to the caret (may be empty). */
  query: string
}

/** The `/name` the caret is at the end of, when the `/` starts the text or follows a space. */
export function slashQuery(text: string, caret: number): SlashQuery | undefined {
  const match = /(^|\s)\/([a-z0-9_-]{0,32})$/i.exec(text.slice(0, caret))
  if (!match) return undefined
  return { start: caret - match[2]!.length - 1, query: match[2]!.toLowerCase() }
}

/** Replies whose name starts with the query, then those that contain it, each by name. */
export function matchReplies(replies: readonly CannedReply[], query: string, max = 8): CannedReply[] {
  const byName = (a: CannedReply, b: CannedReply) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  const starts = replies.filter((reply) => reply.name.startsWith(query)).sort(byName)
  const contains = replies.filter((reply) => !reply.name.startsWith(query) && reply.name.includes(query)).sort(byName)
  return [...starts, ...contains].slice(0, max)
}

/** The text with `/query` replaced by the reply, and where the caret goes (after the reply). */
export function insertReply(text: string, at: SlashQuery, reply: CannedReply): { text: string; caret: number } {
  const end = at.start + 1 + at.query.length
  const next = text.slice(0, at.start) + reply.text + text.slice(end)
  return { text: next, caret: at.start + reply.text.length }
}
