import { describe, expect, it } from 'vitest'
import { appendPage, matchesFilter, placeConversation } from '../../src/core/room/list-merge'
import { conversation } from '../inbox/fixtures'

/** A conversation whose last activity was at `updatedAt`. */
const at = (roomId: string, updatedAt: number, overrides = {}) => conversation(roomId, { updatedAt, createdAt: 1, ...overrides })
const rooms = (list: readonly { roomId: string }[]) => list.map((c) => c.roomId)

describe('the conversation list’s merge steps', () => {
  const held = [at('c', 30), at('b', 20), at('a', 10)]

  it('moves an updated conversation to its place, and adds a new one at the top', () => {
    expect(rooms(placeConversation(held, at('a', 40), {}, true))).toEqual(['a', 'c', 'b'])
    expect(rooms(placeConversation(held, at('d', 25), {}, true))).toEqual(['c', 'd', 'b', 'a'])
    // Ties are broken as the server breaks them: newer creation, then room id.
    expect(rooms(placeConversation(held, at('bb', 20), {}, true))).toEqual(['c', 'b', 'bb', 'a'])
  })

  it('drops a conversation that no longer passes the filter, and leaves the list alone when nothing changes', () => {
    const open = { status: 'open' as const }
    expect(rooms(placeConversation(held, at('b', 50, { status: 'closed' }), open, true))).toEqual(['c', 'a'])
    expect(placeConversation(held, at('x', 50, { status: 'closed' }), open, true)).toBe(held)
  })

  it('while more pages follow, leaves a conversation whose place is past the last one held to its page', () => {
    expect(rooms(placeConversation(held, at('old', 5), {}, false))).toEqual(['c', 'b', 'a'])
    expect(rooms(placeConversation(held, at('old', 5), {}, true))).toEqual(['c', 'b', 'a', 'old'])
    expect(rooms(placeConversation(held, at('new', 15), {}, false))).toEqual(['c', 'b', 'new', 'a'])
  })

  it('filters by assignee: an agent, or nobody', () => {
    const mine = at('m', 1, { assignee: { id: 'sari', role: 'agent' } })
    expect(matchesFilter(mine, { assignee: 'sari' })).toBe(true)
    expect(matchesFilter(mine, { assignee: 'budi' })).toBe(false)
    expect(matchesFilter(mine, { assignee: null })).toBe(false)
    expect(matchesFilter(at('n', 1), { assignee: null })).toBe(true)
    expect(matchesFilter(mine, { status: 'open', assignee: 'sari' })).toBe(true)
  })

  it('adds a page; a room already held (it moved up meanwhile) keeps its newer copy', () => {
    const next = appendPage(held, [at('z', 9), at('b', 8), at('y', 7)])
    expect(rooms(next)).toEqual(['c', 'b', 'a', 'z', 'y'])
    expect(next.find((c) => c.roomId === 'b')!.updatedAt).toBe(20)
  })
})
