import { describe, expect, it } from 'vitest'
import { listWithOwnUnread, OwnReads, withOwnUnread } from '../../src/core/room/own-reads'
import { conversation } from '../inbox/fixtures'

describe('an agent’s own read marks', () => {
  it('keep only the highest mark of each room, and change the store only when one rose', () => {
    const reads = new OwnReads()
    reads.learn([['r1', { upToSeq: 3, visitorMessages: 2 }], ['r2', undefined]])
    const first = reads.$marks.get()
    expect([...first]).toEqual([['r1', { upToSeq: 3, visitorMessages: 2 }]])
    reads.learn([['r1', { upToSeq: 2, visitorMessages: 1 }]])
    expect(reads.$marks.get()).toBe(first)
    reads.learn([['r1', { upToSeq: 5, visitorMessages: 3 }], ['r2', { upToSeq: 0, visitorMessages: 0 }]])
    expect(Object.fromEntries(reads.$marks.get())).toEqual({ r1: { upToSeq: 5, visitorMessages: 3 }, r2: { upToSeq: 0, visitorMessages: 0 } })
  })

  it('count the visitor’s messages above the agent’s own mark, all of them without a mark', () => {
    const c = conversation('r1', { unread: { visitor: 0, agent: 0 }, visitorMessages: 5 })
    // Teammates read everything (the team's count is 0); this agent never opened it.
    expect(withOwnUnread(c, undefined).unread).toEqual({ visitor: 0, agent: 5 })
    expect(withOwnUnread(c, { upToSeq: 4, visitorMessages: 2 }).unread).toEqual({ visitor: 0, agent: 3 })
    // A summary older than the mark never counts below zero.
    expect(withOwnUnread(c, { upToSeq: 9, visitorMessages: 7 }).unread.agent).toBe(0)
    // From a server that sends no visitorMessages: the team's count.
    const { visitorMessages: _, ...old } = c
    expect(withOwnUnread(old, { upToSeq: 4, visitorMessages: 2 })).toBe(old)
  })

  it('keep each list entry’s identity while its conversation and mark are the same', () => {
    const shown = listWithOwnUnread()
    const a = conversation('a', { visitorMessages: 3, unread: { visitor: 0, agent: 0 } })
    const b = conversation('b', { visitorMessages: 1, unread: { visitor: 0, agent: 1 } })
    const mark = { upToSeq: 1, visitorMessages: 1 }
    const once = shown([a, b], new Map([['a', mark]]))
    expect(once.map((c) => c.unread.agent)).toEqual([2, 1])
    expect(once[1]).toBe(b)
    const twice = shown([a, b], new Map([['a', mark], ['c', mark]]))
    expect(twice[0]).toBe(once[0])
    const raised = shown([a, b], new Map([['a', { upToSeq: 9, visitorMessages: 3 }]]))
    expect(raised[0]!.unread.agent).toBe(0)
  })
})
