/**
 * A derived store, like nanostores' `computed`, whose listeners hear of a change once per task:
 * a burst of socket frames handled in one task (each in its own microtask) moves the sources
 * many times, and subscribers wake once, with the end state. `get()` is always up to date, so
 * code that reads right after a change sees it at once; `settle()` tells the subscribers now (what
 * the user did shows at once, in the same event handler).
 */
import { atom, onMount, type ReadableAtom, type StoreValue } from 'nanostores'

type Sources = readonly ReadableAtom<unknown>[]
type Values<S extends Sources> = { [K in keyof S]: StoreValue<S[K]> }

export type SettledStore<T> = ReadableAtom<T> & {
  /** Brings the value up to date and tells the subscribers now; nothing when nobody listens. */
  settle(): void
}

export function settled<const S extends Sources, T>(sources: S, derive: (...values: Values<S>) => T): SettledStore<T> {
  let previous: unknown[] | undefined
  let scheduled = false
  let mounted = false
  const $store = atom<T>(undefined as T) as ReturnType<typeof atom<T>> & { settle(): void }
  const refresh = () => {
    scheduled = false
    const values = sources.map(($source) => $source.get())
    if (previous && values.every((value, i) => value === previous![i])) return
    previous = values
    $store.set(derive(...(values as Values<S>)))
  }
  const read = $store.get
  $store.get = () => {
    refresh()
    return read()
  }
  $store.settle = () => {
    if (mounted) refresh()
  }
  onMount($store, () => {
    mounted = true
    const schedule = () => {
      if (scheduled) return
      scheduled = true
      queueMicrotask(refresh)
    }
    const unbind = sources.map(($source) => $source.listen(schedule))
    refresh()
    return () => {
      mounted = false
      unbind.forEach((stop) => stop())
    }
  })
  return $store
}
