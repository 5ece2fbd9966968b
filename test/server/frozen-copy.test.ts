import { describe, expect, it } from 'vitest'
import { frozenCopy, isDeeplyFrozen } from '../../src/server/frozen-copy'

describe('frozenCopy', () => {
  it('copies plain data deeply and freezes every level', () => {
    const original = { id: 'a', tags: ['x', { deep: 1 }], nested: { name: 'n', none: undefined, zero: 0 } }
    const copy = frozenCopy(original)
    expect(copy).toEqual(original)
    expect(copy).not.toBe(original)
    expect(copy.nested).not.toBe(original.nested)
    expect(copy.tags[1]).not.toBe(original.tags[1])
    expect(Object.isFrozen(copy)).toBe(true)
    expect(Object.isFrozen(copy.nested)).toBe(true)
    expect(Object.isFrozen(copy.tags)).toBe(true)
    expect(Object.isFrozen(copy.tags[1])).toBe(true)
    expect('none' in copy.nested).toBe(true)
  })

  it('keeps nothing of the original, which stays as changeable as it was', () => {
    const original = { author: { id: 'v', name: 'Vee' }, list: [1, 2] }
    const copy = frozenCopy(original)
    original.author.name = 'changed'
    original.list.push(3)
    expect(copy).toEqual({ author: { id: 'v', name: 'Vee' }, list: [1, 2] })
    expect(Object.isFrozen(original)).toBe(false)
    expect(() => {
      ;(copy.author as { name: string }).name = 'x'
    }).toThrow(TypeError)
  })

  it('copies a __proto__ field as a field, not as the prototype', () => {
    const original = JSON.parse('{"__proto__": {"admin": true}, "id": "a"}') as Record<string, unknown>
    const copy = frozenCopy(original)
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype)
    expect(Object.keys(copy)).toEqual(['__proto__', 'id'])
    expect((copy as { admin?: boolean }).admin).toBeUndefined()
  })

  it('shares data frozen at every level instead of copying it', () => {
    const author = Object.freeze({ id: 'v', role: 'visitor', name: 'Vee' })
    expect(frozenCopy(author)).toBe(author)
    const nested = Object.freeze({ author, tags: Object.freeze(['a']) })
    expect(frozenCopy(nested)).toBe(nested)
  })

  it('copies data frozen only on the outside, keeping none of its changeable parts', () => {
    const inner = { name: 'Vee' }
    const outer = Object.freeze({ id: 'v', inner })
    const copy = frozenCopy(outer)
    expect(copy).not.toBe(outer)
    expect(copy.inner).not.toBe(inner)
    inner.name = 'changed'
    expect(copy.inner.name).toBe('Vee')
    expect(isDeeplyFrozen(copy)).toBe(true)
  })

  it('tells data frozen at every level from data frozen in part', () => {
    expect(isDeeplyFrozen(Object.freeze({ a: 1, b: Object.freeze({ c: 'x' }) }))).toBe(true)
    expect(isDeeplyFrozen(Object.freeze({ a: 1, b: { c: 'x' } }))).toBe(false)
    expect(isDeeplyFrozen(Object.freeze([Object.freeze({}), []]))).toBe(false)
    expect(isDeeplyFrozen({ a: 1 })).toBe(false)
  })

  it('returns primitives as they are', () => {
    expect(frozenCopy('text')).toBe('text')
    expect(frozenCopy(3)).toBe(3)
    expect(frozenCopy(null)).toBe(null)
    expect(frozenCopy(undefined)).toBe(undefined)
  })
})
