/**
 * A yes/no the visitor chose, remembered in localStorage beside the client's keys (the sound
 * muted, the pre-chat form answered), so every tab and later visit of this browser follows it.
 * Storage can be missing or throw (blocked cookies, sandboxed frames): the choice then lasts for
 * this page, and the console says why.
 */
import { atom, type WritableAtom } from 'nanostores'

export function storedFlag(win: Window, key: string): WritableAtom<boolean> {
  const storage = (): Storage | undefined => {
    try {
      return win.localStorage ?? undefined
    } catch (error) {
      console.warn(`obrolan: localStorage is not available; ${key} lasts for this page`, error)
      return undefined
    }
  }
  let initial = false
  try {
    initial = storage()?.getItem(key) === '1'
  } catch (error) {
    console.warn(`obrolan: could not read ${key}`, error)
  }
  const $flag = atom(initial)
  $flag.listen((value) => {
    try {
      if (value) storage()?.setItem(key, '1')
      else storage()?.removeItem(key)
    } catch (error) {
      console.warn(`obrolan: could not remember ${key}`, error)
    }
  })
  return $flag
}
