/**
 * Deep, frozen copies of plain data. A frozen record can be handed to any number of callers and
 * broadcasts without copying it again: nobody can change it, so sharing it is as safe as a copy.
 */

/**
 * A copy of plain data (objects, arrays and primitives, as JSON has them) with every level frozen.
 * Nothing of `value` that could still change is kept, so the caller may go on changing its own
 * object; data that is frozen at every level already is returned as it is, since it cannot change.
 */
export function frozenCopy<T>(value: T): T {
  if (typeof value !== 'object' || value === null || isDeeplyFrozen(value)) return value
  if (Array.isArray(value)) return Object.freeze(value.map((item) => frozenCopy(item))) as T
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(value)) {
    const item = frozenCopy((value as Record<string, unknown>)[key])
    // Assigning `__proto__` would set the copy's prototype instead of copying the field.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: item, enumerable: true })
    else copy[key] = item
  }
  return Object.freeze(copy) as T
}

/** Whether plain data is frozen at every level, so that no one can change any of it. */
export function isDeeplyFrozen(value: object): boolean {
  if (!Object.isFrozen(value)) return false
  for (const item of Object.values(value)) {
    if (typeof item === 'object' && item !== null && !isDeeplyFrozen(item)) return false
  }
  return true
}
