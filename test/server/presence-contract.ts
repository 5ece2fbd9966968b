/**
 * What every PresenceStore must do, run against the memory and the Redis implementations.
 * `create(now)` returns a started store; the suite closes it.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { PresenceStore } from '../../src/server/presence'

export type PresenceFactory = (now: () => number) => Promise<PresenceStore>

export function describePresenceContract(name: string, create: PresenceFactory): void {
  const opened: PresenceStore[] = []
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((presence) => presence.close()))
  })
  async function open(now: () => number): Promise<PresenceStore> {
    const presence = await create(now)
    opened.push(presence)
    return presence
  }

  describe(`${name} (presence contract)`, () => {
    it('counts users, not sockets, and keeps the first join time', async () => {
      let t = 100
      const tracker = await open(() => t)
      expect(await tracker.join('r', 's1', { id: 'v', role: 'visitor', name: 'Vee' })).toBe(true)
      t = 200
      expect(await tracker.join('r', 's2', { id: 'v', role: 'visitor', name: 'Vee' })).toBe(false)
      expect(await tracker.join('r', 's3', { id: 'a', role: 'agent' })).toBe(true)
      expect(await tracker.presence('r')).toEqual({
        users: {
          v: { userId: 'v', role: 'visitor', name: 'Vee', joinedAt: 100 },
          a: { userId: 'a', role: 'agent', joinedAt: 200 },
        },
        visitorConnected: true,
        agentConnected: true,
        totalVisitor: 1,
        totalAgent: 1,
      })
      expect(await tracker.leave('r', 's1')).toBe(false)
      expect((await tracker.presence('r')).visitorConnected).toBe(true)
      expect(await tracker.leave('r', 's2')).toBe(true)
      expect(await tracker.presence('r')).toMatchObject({ visitorConnected: false, totalVisitor: 0, totalAgent: 1 })
      expect(await tracker.leave('r', 's2')).toBe(false)
    })

    it('removes a socket from all its rooms at once', async () => {
      const tracker = await open(() => 0)
      await tracker.join('r1', 's', { id: 'a', role: 'agent' })
      await tracker.join('r2', 's', { id: 'a', role: 'agent' })
      await tracker.join('r2', 'other', { id: 'a', role: 'agent' })
      expect(await tracker.leaveAll('s')).toEqual(['r1'])
      expect((await tracker.presence('r1')).users).toEqual({})
      expect((await tracker.presence('r2')).totalAgent).toBe(1)
      expect(await tracker.leaveAll('s')).toEqual([])
    })

    it('applies a join and a leave started together in the order they were called', async () => {
      const tracker = await open(() => 0)
      const joined = tracker.join('r', 's', { id: 'v', role: 'visitor' })
      const left = tracker.leaveAll('s')
      expect(await joined).toBe(true)
      expect(await left).toEqual(['r'])
      expect((await tracker.presence('r')).users).toEqual({})
    })

    it('lists the rooms someone is in, and no longer those everybody left', async () => {
      const tracker = await open(() => 0)
      expect(await tracker.activeRooms()).toEqual([])
      await tracker.join('r1', 's1', { id: 'v', role: 'visitor' })
      await tracker.join('r2', 's2', { id: 'a', role: 'agent' })
      await tracker.join('r2', 's3', { id: 'a', role: 'agent' })
      expect((await tracker.activeRooms()).sort()).toEqual(['r1', 'r2'])
      await tracker.leaveAll('s1')
      await tracker.leave('r2', 's2')
      expect(await tracker.activeRooms()).toEqual(['r2'])
      await tracker.leave('r2', 's3')
      expect(await tracker.activeRooms()).toEqual([])
    })

    it('answers an empty presence for a room nobody joined', async () => {
      const tracker = await open(() => 0)
      expect(await tracker.presence('nobody')).toEqual({
        users: {},
        visitorConnected: false,
        agentConnected: false,
        totalVisitor: 0,
        totalAgent: 0,
      })
    })
  })
}
