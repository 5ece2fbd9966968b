import { describe, expect, it } from 'vitest'
import { moveToRoom, enqueue, markFailed, markPending, parseOutbox, remove, type OutboxEntry } from '../../src/core/outbox/outbox'

const entry = (clientId: string, extra: Partial<OutboxEntry> = {}): OutboxEntry => ({
  clientId,
  text: clientId,
  createdAt: 1,
  state: 'pending',
  ...extra,
})

describe('outbox', () => {
  it('keeps send order through failure and retry', () => {
    let box = enqueue(enqueue(enqueue([], entry('a')), entry('b')), entry('c'))
    box = markFailed(box, 'b', { code: 'too_long', message: 'too long' })
    expect(box.map((e) => e.state)).toEqual(['pending', 'failed', 'pending'])
    expect(box[1]!.error?.code).toBe('too_long')
    box = markPending(box, 'b')
    expect(box.map((e) => e.clientId)).toEqual(['a', 'b', 'c'])
    expect(box[1]!.state).toBe('pending')
    expect(box[1]!.error).toBeUndefined()
  })

  it('removes by client id and keeps identity when there is nothing to remove', () => {
    const box = enqueue([], entry('a'))
    expect(remove(box, 'x')).toBe(box)
    expect(remove(box, 'a')).toEqual([])
  })

  it('moves every entry to the room the visitor has now, keeping identity when nothing moves', () => {
    const box = moveToRoom([entry('a'), entry('b', { roomId: 'other' })], 'r1')
    expect(box.map((e) => e.roomId)).toEqual(['r1', 'r1'])
    expect(moveToRoom(box, 'r1')).toBe(box)
  })

  it('restores only well-formed entries from storage', () => {
    const restored = parseOutbox([entry('ok'), { clientId: 5 }, null, 'junk', entry('bad', { state: 'sent' as never })])
    expect(restored.map((e) => e.clientId)).toEqual(['ok'])
    expect(parseOutbox('not an array')).toEqual([])
    expect(parseOutbox(undefined)).toEqual([])
  })
})
