import { describe, expect, it } from 'vitest'
import type { Watermarks } from '../../src/protocol'
import type { Defer } from '../../src/server/after-io'
import { createBackgroundTasks } from '../../src/server/background-tasks'
import { mergeWatermarks } from '../../src/protocol'
import { createStatusUpdates } from '../../src/server/status-updates'

const marks = (visitorDelivered: number, visitorRead: number, agentDelivered: number, agentRead: number): Watermarks => ({
  visitor: { delivered: visitorDelivered, read: visitorRead },
  agent: { delivered: agentDelivered, read: agentRead },
})

function setup(send?: (roomId: string, watermarks: Watermarks) => void) {
  const sent: [string, Watermarks][] = []
  let due: (() => void)[] = []
  const defer: Defer = (run) => void due.push(run)
  const failures: unknown[] = []
  const background = createBackgroundTasks((error) => failures.push(error))
  const updates = createStatusUpdates({ send: send ?? ((roomId, w) => void sent.push([roomId, w])), defer, background })
  const afterIo = (): void => {
    const now = due
    due = []
    for (const run of now) run()
  }
  return { sent, updates, afterIo, background, failures, pending: () => due.length }
}

describe('mergeWatermarks', () => {
  it('takes each mark at the higher of the two, whichever comes first', () => {
    const a = marks(5, 2, 0, 7)
    const b = marks(3, 4, 1, 7)
    expect(mergeWatermarks(a, b)).toEqual(marks(5, 4, 1, 7))
    expect(mergeWatermarks(b, a)).toEqual(marks(5, 4, 1, 7))
    expect(mergeWatermarks(a, a)).toEqual(a)
  })
})

describe('status updates', () => {
  it('sends nothing until the I/O at hand is done, then one update per room with the highest marks', () => {
    const { sent, updates, afterIo, pending } = setup()
    updates.soon('a', marks(1, 0, 0, 0))
    updates.soon('b', marks(0, 0, 3, 0))
    updates.soon('a', marks(2, 0, 0, 0))
    updates.soon('a', marks(1, 1, 0, 0))
    expect(sent).toEqual([])
    expect(pending()).toBe(2)
    afterIo()
    expect(sent).toEqual([
      ['a', marks(2, 1, 0, 0)],
      ['b', marks(0, 0, 3, 0)],
    ])
  })

  it('sends a raise that comes after the last update in an update of its own', () => {
    const { sent, updates, afterIo } = setup()
    updates.soon('a', marks(1, 0, 0, 0))
    afterIo()
    updates.soon('a', marks(2, 0, 0, 0))
    afterIo()
    expect(sent.map(([, w]) => w.visitor.delivered)).toEqual([1, 2])
  })

  it('lets close() wait for an update still deferred, and keeps a failed send from escaping', async () => {
    const { updates, afterIo, background, failures } = setup(() => {
      throw new Error('adapter closed')
    })
    updates.soon('a', marks(1, 0, 0, 0))
    let settled = false
    const done = background.settled().then(() => (settled = true))
    await Promise.resolve()
    expect(settled).toBe(false)
    expect(() => afterIo()).not.toThrow()
    await done
    expect(settled).toBe(true)
    expect(failures).toEqual([new Error('adapter closed')])
  })
})
