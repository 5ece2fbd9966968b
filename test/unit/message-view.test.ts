import { describe, expect, it } from 'vitest'
import type { Author, Watermarks, WireMessage } from '../../src/protocol'
import { buildMessageList, confirmedStatus, countUnread, createMessageViewCache } from '../../src/core/message-view'
import { applyJoin, emptyTimeline } from '../../src/core/timeline'

const visitor: Author = { id: 'v1', role: 'visitor' }
const agent: Author = { id: 'a1', role: 'agent' }
const msg = (seq: number, author: Author = visitor): WireMessage => ({
  id: `m${seq}`,
  clientId: `c${seq}`,
  roomId: 'r',
  seq,
  author,
  text: `t${seq}`,
  createdAt: seq,
})
const marks = (agentDelivered: number, agentRead: number, visitorRead = 0): Watermarks => ({
  visitor: { delivered: visitorRead, read: visitorRead },
  agent: { delivered: agentDelivered, read: agentRead },
})

describe('message view', () => {
  it('derives ticks from the receiving side’s watermarks', () => {
    expect(confirmedStatus(msg(3), marks(2, 1))).toBe('sent')
    expect(confirmedStatus(msg(2), marks(2, 1))).toBe('delivered')
    expect(confirmedStatus(msg(1), marks(2, 1))).toBe('read')
    // An agent's message is read when the visitor has read it.
    expect(confirmedStatus(msg(1, agent), marks(5, 5, 0))).toBe('sent')
    expect(confirmedStatus(msg(1, agent), marks(0, 0, 1))).toBe('read')
  })

  it('lists confirmed messages, then pending ones, marking own messages', () => {
    const timeline = applyJoin(emptyTimeline, [msg(1), msg(2, agent)], { hasOlder: false })
    const list = buildMessageList(
      timeline,
      [{ clientId: 'p1', text: 'waiting', createdAt: 9, state: 'pending', roomId: 'r' }],
      marks(0, 0),
      visitor,
      createMessageViewCache(),
    )
    expect(list.map((m) => [m.clientId, m.status, m.own])).toEqual([
      ['c1', 'sent', true],
      ['c2', 'sent', false],
      ['p1', 'pending', true],
    ])
  })

  it('reuses message objects whose status did not change', () => {
    const cache = createMessageViewCache()
    const timeline = applyJoin(emptyTimeline, [msg(1), msg(2)], { hasOlder: false })
    const first = buildMessageList(timeline, [], marks(0, 0), visitor, cache)
    const second = buildMessageList(timeline, [], marks(1, 0), visitor, cache)
    expect(second[0]).not.toBe(first[0])
    expect(second[0]!.status).toBe('delivered')
    expect(second[1]).toBe(first[1])
  })

  it('counts unread messages from the other side only, skipping deleted ones', () => {
    const timeline = applyJoin(
      emptyTimeline,
      [msg(1, agent), msg(2), msg(3, agent), { ...msg(4, agent), deleted: true, text: '' }, msg(5, agent)],
      { hasOlder: false },
    )
    expect(countUnread(timeline, marks(0, 0, 0), 'visitor')).toBe(3)
    expect(countUnread(timeline, marks(0, 0, 3), 'visitor')).toBe(1)
    expect(countUnread(timeline, marks(0, 0, 0), 'agent')).toBe(1)
  })
})
