/**
 * Files dragged onto an element: while they are over it `dropping` is true (to say "drop to
 * send"), and dropped they go to `onFiles`. Listened to on the element itself, not through
 * Preact's event names, so the same code runs in every DOM; drags of anything but files (text, a
 * link) are left to the page.
 */
import type { RefObject } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { carriedFiles } from './send-files'

export function useFileDrop(ref: RefObject<HTMLElement>, onFiles: (files: File[]) => void, enabled = true): boolean {
  const [dropping, setDropping] = useState(false)
  useEffect(() => {
    const element = ref.current
    if (!element || !enabled) return
    const carries = (event: DragEvent) => event.dataTransfer?.types.includes('Files') === true
    const over = (event: DragEvent) => {
      if (!carries(event)) return
      // Taken here, so the browser does not open the file in place of the page.
      event.preventDefault()
      setDropping(true)
    }
    const leave = (event: DragEvent) => {
      if (event.relatedTarget === null || !element.contains(event.relatedTarget as Node)) setDropping(false)
    }
    const drop = (event: DragEvent) => {
      if (!carries(event)) return
      event.preventDefault()
      setDropping(false)
      onFiles(carriedFiles(event.dataTransfer))
    }
    const listeners = [
      ['dragover', over],
      ['dragleave', leave],
      ['drop', drop],
    ] as const
    for (const [type, listener] of listeners) element.addEventListener(type, listener as EventListener)
    return () => {
      for (const [type, listener] of listeners) element.removeEventListener(type, listener as EventListener)
    }
  }, [ref, onFiles, enabled])
  return dropping
}
