import { describe, expect, it } from 'vitest'
import type { WireMessage } from '../../src/protocol'
import fc from 'fast-check'
import { applyChanges, applyJoin, conflict, emptyTimeline, hasGap, insertMessages, latestSeq, prependOlder, type Timeline } from '../../src/core/room/timeline'

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

describe('changes', () => {
  it('keeps the copy with the later change number, whatever order copies arrive in', () => {
    const held = applyJoin(emptyTimeline, [msg(1), msg(2)], { hasOlder: false })
    const second = msg(1, { text: 'second', editedAt: 5, changeSeq: 4 })
    const first = msg(1, { text: 'first', editedAt: 9, changeSeq: 3 })
    const after = insertMessages(insertMessages(held, [second]), [first])
    expect(after.messages[0]).toMatchObject({ text: 'second', changeSeq: 4 })
    // A copy from before any change (a page loaded earlier) never undoes one.
    expect(insertMessages(after, [msg(1)]).messages[0]!.text).toBe('second')
    // Deletion is final.
    const deleted = insertMessages(after, [msg(1, { text: '', deleted: true, changeSeq: 2 })])
    expect(insertMessages(deleted, [msg(1, { text: 'later', changeSeq: 9 })]).messages[0]).toMatchObject({ deleted: true, text: '' })
  })

  it('applies changes only to messages held, leaving the rest for when they are loaded', () => {
    const held = applyJoin(emptyTimeline, [msg(5), msg(6)], { hasOlder: true })
    const changed = applyChanges(held, [msg(2, { text: 'old one edited', changeSeq: 1 }), msg(6, { text: 'edited', changeSeq: 2 })])
    expect(changed.messages.map((m) => [m.seq, m.text])).toEqual([[5, 'text 5'], [6, 'edited']])
    expect(changed.contiguousSeq).toBe(6)
    expect(applyChanges(held, [msg(9, { changeSeq: 3 })])).toBe(held)
  })
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

  it('takes a later change number, news from the message’s channel included, and never an older one', () => {
    let t = applyJoin(emptyTimeline, [msg(1, { author: { id: 'a', role: 'agent' } })], { hasOlder: false })
    t = insertMessages(t, [msg(1, { author: { id: 'a', role: 'agent' }, changeSeq: 2, delivery: { channel: 'whatsapp', status: 'failed', error: 'outside the window' } })])
    expect(t.messages[0]).toMatchObject({ text: 'text 1', changeSeq: 2, delivery: { status: 'failed', error: 'outside the window' } })
    const before = t
    t = insertMessages(t, [msg(1, { author: { id: 'a', role: 'agent' }, changeSeq: 1, delivery: { channel: 'whatsapp', status: 'sent' } })])
    expect(t).toBe(before)
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

  it('keeps each id once per timeline when two timelines grow from one', () => {
    const base = applyJoin(emptyTimeline, [msg(1)], { hasOlder: false })
    // Two answers disagree about where m9 sits; each line of timelines keeps its own first word.
    const left = insertMessages(base, [msg(5, { id: 'm9' })])
    const right = insertMessages(base, [msg(7, { id: 'm9' })])
    expect(insertMessages(left, [msg(7, { id: 'm9' })])).toBe(left)
    expect(insertMessages(right, [msg(5, { id: 'm9' })])).toBe(right)
    expect(conflict(left, msg(7, { id: 'm9' }))).toBe('message m9 is already at seq 5')
    expect(conflict(right, msg(5, { id: 'm9' }))).toBe('message m9 is already at seq 7')
    // The base never held m9, whatever its descendants did.
    expect(conflict(base, msg(3, { id: 'm9' }))).toBeUndefined()
    expect(insertMessages(base, [msg(3, { id: 'm9' })]).messages.map((m) => m.seq)).toEqual([1, 3])
  })

  it('agrees with a scan of every message on what is held, for any inserts', () => {
    // Ids drawn from a small set so that the same id often comes at another seq.
    const arrival = fc.record({ seq: fc.integer({ min: 1, max: 30 }), id: fc.integer({ min: 1, max: 12 }) })
    fc.assert(
      fc.property(fc.array(fc.array(arrival, { maxLength: 5 }), { maxLength: 25 }), (batches) => {
        let t: Timeline = applyJoin(emptyTimeline, [], { hasOlder: false })
        for (const batch of batches) {
          const expected = [...t.messages]
          for (const { seq, id } of batch) {
            if (expected.some((m) => m.seq === seq || m.id === `m${id}`)) continue
            expected.push(msg(seq, { id: `m${id}` }))
          }
          expected.sort((a, b) => a.seq - b.seq)
          t = insertMessages(t, batch.map(({ seq, id }) => msg(seq, { id: `m${id}` })))
          expect(t.messages.map((m) => `${m.seq}:${m.id}`)).toEqual(expected.map((m) => `${m.seq}:${m.id}`))
        }
      }),
    )
  })
})
