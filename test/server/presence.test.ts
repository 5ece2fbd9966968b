import { describe, expect, it } from 'vitest'
import { createMemoryPresence } from '../../src/server/memory-presence'
import { describePresenceContract } from './presence-contract'
import { issueVisitorCredentials, signVisitorId, verifyVisitorToken } from '../../src/server/visitor-token'
import { createKeyedLock } from '../../src/server/room-lock'

describePresenceContract('memory presence', async (now) => createMemoryPresence(now))

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
