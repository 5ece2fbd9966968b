import { describe, expect, it } from 'vitest'
import type { WireMessage } from '../../src/protocol'
import { applyJoin, emptyTimeline, hasGap, insertMessages, latestSeq, prependOlder } from '../../src/core/timeline'

const msg = (seq: number, extra: Partial<WireMessage> = {}): WireMessage => ({
  id: `m${seq}`,
  clientId: `c${seq}`,
  roomId: 'r',
  seq,
  author: { id: 'v', role: 'visitor' },
  text: `text ${seq}`,
  createdAt: 1000 + seq,
  ...extra,
})

describe('timeline', () => {
  it('starts a first join at the page it was given and knows whether older ones exist', () => {
    const t = applyJoin(emptyTimeline, [msg(11), msg(12), msg(13)], { hasOlder: true })
    expect(t.messages.map((m) => m.seq)).toEqual([11, 12, 13])
    expect(t.contiguousSeq).toBe(13)
    expect(t.hasOlder).toBe(true)
  })

  it('treats an empty room as gap-free from zero', () => {
    const t = applyJoin(emptyTimeline, [], { hasOlder: false })
    expect(t.contiguousSeq).toBe(0)
    expect(insertMessages(t, [msg(1)]).contiguousSeq).toBe(1)
  })

  it('keeps one copy of a message however often it arrives, in seq order', () => {
    let t = applyJoin(emptyTimeline, [], { hasOlder: false })
    t = insertMessages(t, [msg(2), msg(1), msg(2), msg(3), msg(1)])
    t = insertMessages(t, [msg(3)])
    expect(t.messages.map((m) => m.seq)).toEqual([1, 2, 3])
  })

  it('returns the same object when nothing changed', () => {
    const t = insertMessages(applyJoin(emptyTimeline, [], { hasOlder: false }), [msg(1)])
    expect(insertMessages(t, [msg(1)])).toBe(t)
  })

  it('stops the gap-free run at a hole and resumes it when the hole is filled', () => {
    let t = applyJoin(emptyTimeline, [msg(1), msg(2)], { hasOlder: false })
    t = insertMessages(t, [msg(5)])
    expect(t.contiguousSeq).toBe(2)
    expect(hasGap(t)).toBe(true)
    expect(latestSeq(t)).toBe(5)
    t = insertMessages(t, [msg(4), msg(3)])
    expect(t.contiguousSeq).toBe(5)
    expect(hasGap(t)).toBe(false)
  })

  it('keeps the later edit and never resurrects a deleted message', () => {
    let t = applyJoin(emptyTimeline, [msg(1)], { hasOlder: false })
    t = insertMessages(t, [msg(1, { text: 'second', editedAt: 3000 })])
    t = insertMessages(t, [msg(1, { text: 'first', editedAt: 2000 })])
    expect(t.messages[0]!.text).toBe('second')
    t = insertMessages(t, [msg(1, { text: '', deleted: true })])
    t = insertMessages(t, [msg(1, { text: 'late edit', editedAt: 9000 })])
    expect(t.messages[0]!.deleted).toBe(true)
    expect(t.messages[0]!.text).toBe('')
  })

  it('prepends older pages without moving the resume point', () => {
    let t = applyJoin(emptyTimeline, [msg(51), msg(52)], { hasOlder: true })
    t = prependOlder(t, [msg(49), msg(50)], false)
    expect(t.messages.map((m) => m.seq)).toEqual([49, 50, 51, 52])
    expect(t.contiguousSeq).toBe(52)
    expect(t.hasOlder).toBe(false)
  })

  it('resumes a rejoin from where it stopped, adding only what was missed', () => {
    let t = applyJoin(emptyTimeline, [msg(1), msg(2)], { hasOlder: false })
    t = applyJoin(t, [msg(3), msg(4)], undefined)
    expect(t.contiguousSeq).toBe(4)
    expect(t.messages).toHaveLength(4)
  })
})
