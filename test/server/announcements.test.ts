import { describe, expect, it } from 'vitest'
import type { Defer } from '../../src/server/after-io'
import { createAnnouncements } from '../../src/server/announcements'
import { createBackgroundTasks } from '../../src/server/background-tasks'

/** A defer that runs nothing until the test says the I/O at hand is done. */
function manualDefer() {
  let due: (() => void)[] = []
  const defer: Defer = (run) => void due.push(run)
  return {
    defer,
    get pending() {
      return due.length
    },
    /** Runs what was deferred so far and lets the promise jobs it starts finish. */
    async afterIo() {
      const now = due
      due = []
      for (const run of now) run()
      for (let i = 0; i < 10; i++) await Promise.resolve()
    },
  }
}

function setup(announce?: (roomId: string, alsoToRoom: boolean) => Promise<void>) {
  const sent: string[] = []
  const clock = manualDefer()
  const failures: unknown[] = []
  const background = createBackgroundTasks((error) => failures.push(error))
  const announcements = createAnnouncements({
    announce:
      announce ??
      (async (roomId, alsoToRoom) => {
        sent.push(alsoToRoom ? `${roomId}+room` : roomId)
      }),
    defer: clock.defer,
    background,
  })
  return { sent, clock, background, announcements, failures }
}

describe('announcements', () => {
  it('sends nothing until the I/O at hand is done, then one per room for a burst', async () => {
    const { sent, clock, announcements } = setup()
    announcements.soon('a')
    announcements.soon('b')
    announcements.soon('a')
    announcements.soon('a')
    await Promise.resolve()
    expect(sent).toEqual([])
    expect(clock.pending).toBe(2)
    await clock.afterIo()
    expect(sent).toEqual(['a', 'b'])
  })

  it('queues a new announcement once the waiting one has started reading', async () => {
    const { sent, clock, announcements } = setup()
    announcements.soon('a')
    await clock.afterIo()
    announcements.soon('a')
    await clock.afterIo()
    expect(sent).toEqual(['a', 'a'])
  })

  it('never folds an announcement that the room must hear too', async () => {
    const { sent, clock, announcements } = setup()
    announcements.soon('a')
    announcements.soon('a', true)
    announcements.soon('a', true)
    announcements.soon('a')
    await clock.afterIo()
    expect(sent).toEqual(['a', 'a+room', 'a+room'])
  })

  it('keeps one room’s announcements in order even when one is slow', async () => {
    const log: string[] = []
    let release: () => void = () => {}
    const slow = new Promise<void>((resolve) => (release = resolve))
    let calls = 0
    const { clock, announcements, background } = setup(async (roomId, alsoToRoom) => {
      const call = ++calls
      log.push(`start ${call}`)
      if (call === 1) await slow
      log.push(`end ${call} ${roomId}${alsoToRoom ? '+room' : ''}`)
    })
    announcements.soon('a')
    await clock.afterIo()
    announcements.soon('a', true)
    await clock.afterIo()
    expect(log).toEqual(['start 1'])
    release()
    await background.settled()
    expect(log).toEqual(['start 1', 'end 1 a', 'start 2', 'end 2 a+room'])
  })

  it('lets close() wait for announcements still deferred, and reports their failures', async () => {
    const { clock, announcements, background, failures } = setup(async () => {
      throw new Error('store gone')
    })
    announcements.soon('a')
    let settled = false
    const done = background.settled().then(() => (settled = true))
    await Promise.resolve()
    expect(settled).toBe(false)
    await clock.afterIo()
    await done
    expect(settled).toBe(true)
    expect(failures).toEqual([new Error('store gone')])
  })
})
