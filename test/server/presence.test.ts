import { describe, expect, it } from 'vitest'
import { createPresenceTracker } from '../../src/server/presence'
import { issueVisitorCredentials, signVisitorId, verifyVisitorToken } from '../../src/server/visitor-token'
import { createKeyedLock } from '../../src/server/room-lock'

describe('presence tracker', () => {
  it('counts users, not sockets, and keeps the first join time', () => {
    let t = 100
    const tracker = createPresenceTracker(() => t)
    expect(tracker.join('r', 's1', { id: 'v', role: 'visitor', name: 'Vee' })).toBe(true)
    t = 200
    expect(tracker.join('r', 's2', { id: 'v', role: 'visitor', name: 'Vee' })).toBe(false)
    expect(tracker.join('r', 's3', { id: 'a', role: 'agent' })).toBe(true)
    expect(tracker.presence('r')).toEqual({
      users: {
        v: { userId: 'v', role: 'visitor', name: 'Vee', joinedAt: 100 },
        a: { userId: 'a', role: 'agent', joinedAt: 200 },
      },
      customerConnected: true,
      agentConnected: true,
      totalCustomer: 1,
      totalAgent: 1,
    })
    expect(tracker.leave('r', 's1')).toBe(false)
    expect(tracker.presence('r').customerConnected).toBe(true)
    expect(tracker.leave('r', 's2')).toBe(true)
    expect(tracker.presence('r')).toMatchObject({ customerConnected: false, totalCustomer: 0, totalAgent: 1 })
    expect(tracker.leave('r', 's2')).toBe(false)
  })

  it('removes a socket from all its rooms at once', () => {
    const tracker = createPresenceTracker(() => 0)
    tracker.join('r1', 's', { id: 'a', role: 'agent' })
    tracker.join('r2', 's', { id: 'a', role: 'agent' })
    tracker.join('r2', 'other', { id: 'a', role: 'agent' })
    expect(tracker.leaveAll('s')).toEqual(['r1'])
    expect(tracker.presence('r1').users).toEqual({})
    expect(tracker.presence('r2').totalAgent).toBe(1)
    expect(tracker.leaveAll('s')).toEqual([])
  })
})

describe('visitor tokens', () => {
  it('verifies only the token issued for that id under that secret', () => {
    const { visitorId, visitorToken } = issueVisitorCredentials('secret')
    expect(visitorId).toMatch(/^[0-9a-f-]{36}$/)
    expect(visitorToken).toBe(signVisitorId('secret', visitorId))
    expect(visitorToken).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(verifyVisitorToken('secret', visitorId, visitorToken)).toBe(true)
    expect(verifyVisitorToken('other', visitorId, visitorToken)).toBe(false)
    expect(verifyVisitorToken('secret', `${visitorId}x`, visitorToken)).toBe(false)
    expect(verifyVisitorToken('secret', visitorId, visitorToken.slice(1))).toBe(false)
    expect(verifyVisitorToken('secret', visitorId, '')).toBe(false)
  })
})

describe('keyed lock', () => {
  it('runs tasks for one key in order and survives a failing task', async () => {
    const lock = createKeyedLock()
    const order: string[] = []
    const slow = lock.run('k', async () => {
      await new Promise((r) => setTimeout(r, 20))
      order.push('slow')
    })
    const failing = lock.run('k', async () => {
      order.push('failing')
      throw new Error('boom')
    })
    const fast = lock.run('k', async () => {
      order.push('fast')
      return 42
    })
    const other = lock.run('other', async () => {
      order.push('other')
    })
    await Promise.all([slow, failing.catch(() => {}), fast, other])
    expect(order).toEqual(['other', 'slow', 'failing', 'fast'])
    await expect(failing).rejects.toThrow('boom')
    await expect(fast).resolves.toBe(42)
  })
})
