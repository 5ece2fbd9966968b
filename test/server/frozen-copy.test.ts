import { describe, expect, it } from 'vitest'
import { frozenCopy } from '../../src/server/frozen-copy'

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

  it('returns primitives as they are', () => {
    expect(frozenCopy('text')).toBe('text')
    expect(frozenCopy(3)).toBe(3)
    expect(frozenCopy(null)).toBe(null)
    expect(frozenCopy(undefined)).toBe(undefined)
  })
})
