/**
 * A component in a chunk of its own, fetched when the caller first renders: undefined until it has
 * come. A chunk that cannot be fetched (the server went away mid-deploy) is reported, and fetched
 * again on the next render that asks for it.
 */
import type { ComponentType } from 'preact'
import { useEffect, useState } from 'preact/hooks'

export function useChunk<P>(load: () => Promise<ComponentType<P>>, report: (error: unknown) => void): ComponentType<P> | undefined {
  const [component, setComponent] = useState<ComponentType<P> | undefined>(undefined)
  const [attempt, setAttempt] = useState(0)
  useEffect(() => {
    if (component) return
    let live = true
    load().then(
      (loaded) => live && setComponent(() => loaded),
      (error: unknown) => {
        if (!live) return
        report(error)
        // Tried again a little later, not in a tight loop.
        setTimeout(() => live && setAttempt((n) => n + 1), 5000)
      },
    )
    return () => {
      live = false
    }
  }, [load, report, component, attempt])
  return component
}
