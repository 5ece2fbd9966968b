/** The Web Storage subset the client needs; `localStorage`, `sessionStorage` or anything alike. */
export interface StorageLike {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

export function memoryStorage(): StorageLike {
  const items = new Map<string, string>()
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
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

/** The stored string itself (null when absent or unreadable). */
export function readRaw(storage: StorageLike, key: string): string | null {
  try {
    return storage.getItem(key)
  } catch {
    return null
  }
}

/** Reads a JSON value; a missing, unreadable or corrupt entry reads as undefined. */
export function readJson(storage: StorageLike, key: string): unknown {
  try {
    const raw = storage.getItem(key)
    return raw === null ? undefined : JSON.parse(raw)
  } catch {
    return undefined
  }
}

/** Writes a JSON value and returns the string written, or undefined when storage refused it. */
export function writeJson(storage: StorageLike, key: string, value: unknown): string | undefined {
  try {
    const raw = JSON.stringify(value)
    storage.setItem(key, raw)
    return raw
  } catch {
    return undefined
  }
}
