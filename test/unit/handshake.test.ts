import { describe, expect, it } from 'vitest'
import { decideRefusal, Handshake } from '../../src/core/session/handshake'
import { memoryStorage } from '../../src/core/util/storage'

const visitor = { role: 'visitor' as const, hasCredentials: false, tokenIsGetter: false, refusedTokens: 0 }
const agent = { role: 'agent' as const, hasCredentials: false, tokenIsGetter: true, refusedTokens: 1 }

describe('refusal policy', () => {
  it('gives up on another protocol version, retries what is about the moment', () => {
    expect(decideRefusal('unsupported_version', visitor)).toBe('give_up')
    expect(decideRefusal('rate_limited', visitor)).toBe('retry')
    expect(decideRefusal(undefined, visitor)).toBe('retry')
  })

  it('starts a visitor the server no longer knows afresh', () => {
    expect(decideRefusal('unauthorized', { ...visitor, hasCredentials: true })).toBe('retry_as_new_visitor')
    expect(decideRefusal('unauthorized', visitor)).toBe('give_up')
  })

  it('asks a token getter again, three times in a row at most', () => {
    expect(decideRefusal('unauthorized', agent)).toBe('retry')
    expect(decideRefusal('unauthorized', { ...agent, refusedTokens: 2 })).toBe('retry')
    expect(decideRefusal('unauthorized', { ...agent, refusedTokens: 3 })).toBe('give_up')
    expect(decideRefusal('unauthorized', { ...agent, tokenIsGetter: false })).toBe('give_up')
  })

  it('forgets refused visitor credentials, in storage too', () => {
    const storage = memoryStorage()
    storage.setItem('k', JSON.stringify({ visitorId: 'v1', token: 't' }))
    const handshake = new Handshake({ role: 'visitor', storage, credentialsKey: 'k' })
    expect(handshake.knownVisitor).toBe(true)
    expect(handshake.refused('unauthorized')).toEqual({ type: 'lost', reason: 'connect_error' })
    expect(handshake.knownVisitor).toBe(false)
    expect(storage.getItem('k')).toBeNull()
    expect(handshake.refused('unsupported_version')).toEqual({ type: 'fatal', reason: 'unsupported_version' })
  })
})
