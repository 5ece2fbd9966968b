/**
 * The Web Storage subset the client needs; `localStorage`, `sessionStorage` or anything alike.
 * `key` and `length` are optional: with them, tabs sharing the storage can find and hand on each
 * other's unsent messages (see `outbox/persistence.ts`).
 */
export interface StorageLike {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
  key?(index: number): string | null
  readonly length?: number
}

export function memoryStorage(): StorageLike {
  const items = new Map<string, string>()
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
    key: (index) => [...items.keys()][index] ?? null,
    get length() {
      return items.size
    },
  }
}

/** `localStorage` where it exists and works (not in Node, not in some private modes), else memory. */
export function defaultStorage(): StorageLike {
  try {
    const storage = globalThis.localStorage
    if (storage) {
      const probe = '__obrolan_probe__'
      storage.setItem(probe, probe)
      storage.removeItem(probe)
      return storage
    }
  } catch {
    // Access itself throws when storage is disabled; fall through to memory.
  }
  return memoryStorage()
}

/** The stored string; null when absent or unreadable. */
export function readText(storage: StorageLike, key: string): string | null {
  try {
    return storage.getItem(key)
  } catch {
    return null
  }
}

/** A JSON value from its text; corrupt text reads as undefined. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Reads a JSON value; a missing, unreadable or corrupt entry reads as undefined. */
export function readJson(storage: StorageLike, key: string): unknown {
  const text = readText(storage, key)
  return text === null ? undefined : parseJson(text)
}

/** Writes a JSON value and returns the text written; null when storage refused it (full, disabled). */
export function writeText(storage: StorageLike, key: string, value: unknown): string | null {
  try {
    const text = JSON.stringify(value)
    storage.setItem(key, text)
    return text
  } catch {
    return null
  }
}

/** Writes a JSON value; false when storage refused it (full, disabled). */
export function writeJson(storage: StorageLike, key: string, value: unknown): boolean {
  return writeText(storage, key, value) !== null
}

/** Removes a key; false when storage refused. */
export function removeKey(storage: StorageLike, key: string): boolean {
  try {
    storage.removeItem(key)
    return true
  } catch {
    return false
  }
}

/** Every key that starts with `prefix`, when the storage can list its keys; else none. */
export function keysWithPrefix(storage: StorageLike, prefix: string): string[] {
  const keys: string[] = []
  try {
    const count = storage.length
    if (typeof count !== 'number' || typeof storage.key !== 'function') return keys
    for (let i = 0; i < count; i++) {
      const key = storage.key(i)
      if (key !== null && key.startsWith(prefix)) keys.push(key)
    }
  } catch {
    // A storage that throws on listing hands nothing on; its own entries are still written.
  }
  return keys
}
