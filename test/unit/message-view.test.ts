import { describe, expect, it } from 'vitest'
import type { Author, Watermarks, WireMessage } from '../../src/protocol'
import { buildMessageList, confirmedStatus, countUnread, createMessageViewCache } from '../../src/core/view/message-view'
import { applyJoin, emptyTimeline, insertMessages, prependOlder } from '../../src/core/room/timeline'
import { raiseWatermark } from '../../src/protocol'
import fc from 'fast-check'

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

  it('keeps the objects of the other messages when one is edited or older ones come before them', () => {
    const cache = createMessageViewCache()
    let timeline = applyJoin(emptyTimeline, [msg(5), msg(6), msg(7)], { hasOlder: true })
    const first = buildMessageList(timeline, [], marks(0, 0), visitor, cache)
    timeline = insertMessages(timeline, [{ ...msg(6), text: 'edited', editedAt: 99 }])
    const edited = buildMessageList(timeline, [], marks(0, 0), visitor, cache)
    expect(edited[1]!.text).toBe('edited')
    expect(edited[1]).not.toBe(first[1])
    expect([edited[0], edited[2]]).toEqual([first[0], first[2]])
    expect(edited[0]).toBe(first[0])
    expect(edited[2]).toBe(first[2])
    timeline = prependOlder(timeline, [msg(3), msg(4)], false)
    const older = buildMessageList(timeline, [], marks(0, 0), visitor, cache)
    expect(older.map((m) => m.seq)).toEqual([3, 4, 5, 6, 7])
    expect(older.slice(2)).toEqual(edited)
    older.slice(2).forEach((view, i) => expect(view).toBe(edited[i]))
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

describe('message view, built incrementally', () => {
  it('equals a full rebuild after any sequence of appends, receipts and edits', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(
              fc.record({ kind: fc.constant('append' as const), fromAgent: fc.boolean(), count: fc.integer({ min: 1, max: 3 }) }),
              fc.record({ kind: fc.constant('mark' as const), role: fc.constantFrom('visitor' as const, 'agent' as const), read: fc.boolean(), upTo: fc.nat(30) }),
              fc.record({ kind: fc.constant('edit' as const), seq: fc.integer({ min: 1, max: 30 }) }),
              fc.record({ kind: fc.constant('delete' as const), seq: fc.integer({ min: 1, max: 30 }) }),
            ),
            // Whether the list is built after this step: several changes often meet in one build.
            fc.boolean(),
          ),
          { maxLength: 40 },
        ),
        (steps) => {
          const cache = createMessageViewCache()
          let timeline = applyJoin(emptyTimeline, [], { hasOlder: false })
          let marks = marksOf(0, 0, 0)
          let seq = 0
          for (const [index, [step, build]] of steps.entries()) {
            if (step.kind === 'append') {
              const added = Array.from({ length: step.count }, () => msg(++seq, step.fromAgent ? agent : visitor))
              timeline = insertMessages(timeline, added)
            } else if (step.kind === 'mark') {
              marks = raiseWatermark(marks, step.role, step.read ? 'read' : 'delivered', Math.min(step.upTo, seq))
            } else if (step.kind === 'delete' && step.seq <= seq) {
              const held = timeline.messages.find((m) => m.seq === step.seq)!
              timeline = insertMessages(timeline, [{ ...held, text: '', deleted: true }])
            } else if (step.kind === 'edit' && step.seq <= seq) {
              timeline = insertMessages(timeline, [{ ...msg(step.seq), text: `edited ${step.seq}`, editedAt: 10_000 + step.seq }])
            }
            if (!build && index < steps.length - 1) continue
            const incremental = buildMessageList(timeline, [], marks, visitor, cache)
            const full = buildMessageList(timeline, [], marks, visitor, createMessageViewCache())
            expect(incremental.map((m) => [m.clientId, m.status, m.text])).toEqual(full.map((m) => [m.clientId, m.status, m.text]))
            expect(countUnread(timeline, marks, 'visitor', cache)).toBe(countUnread(timeline, marks, 'visitor'))
          }
        },
      ),
      { numRuns: 200 },
    )
  })
})

const marksOf = (agentDelivered: number, agentRead: number, visitorRead: number): Watermarks => ({
  visitor: { delivered: visitorRead, read: visitorRead },
  agent: { delivered: agentDelivered, read: agentRead },
})
