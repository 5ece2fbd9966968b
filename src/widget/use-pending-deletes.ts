/**
 * Delete with undo: a message the visitor deletes shows "Message deleted. Undo" for a few seconds
 * before the delete is sent; undo puts it back untouched. The row stays in place all along, so
 * nothing in the list moves. Closing the page (or the widget) within those seconds deletes nothing.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'

export const UNDO_MS = 5000

export interface PendingDeletes {
  /** Message ids showing the undo line, including those whose delete is on its way. */
  deleting: ReadonlySet<string>
  start(id: string): void
  undo(id: string): void
}

export function usePendingDeletes(remove: (id: string) => Promise<unknown>, onError: (error: unknown) => void): PendingDeletes {
  const [deleting, setDeleting] = useState<ReadonlySet<string>>(() => new Set())
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>())
  const without = (id: string) => setDeleting((current) => new Set([...current].filter((other) => other !== id)))

  const start = useCallback(
    (id: string) => {
      if (timers.current.has(id)) return
      setDeleting((current) => new Set(current).add(id))
      timers.current.set(
        id,
        setTimeout(() => {
          timers.current.delete(id)
          // Shown as deleting until the server's answer: no flash of the message in between.
          remove(id).then(
            () => without(id),
            (error: unknown) => {
              without(id)
              onError(error)
            },
          )
        }, UNDO_MS),
      )
    },
    [remove, onError],
  )

  const undo = useCallback((id: string) => {
    const timer = timers.current.get(id)
    if (timer === undefined) return
    clearTimeout(timer)
    timers.current.delete(id)
    without(id)
  }, [])

  useEffect(() => {
    const pending = timers.current
    return () => pending.forEach((timer) => clearTimeout(timer))
  }, [])

  return { deleting, start, undo }
}
