/**
 * The agent's choices, remembered in this browser: sound and desktop notifications on or off, the
 * language and the appearance. One JSON entry in storage; a missing or damaged entry gives the
 * defaults, never an error.
 */
import { atom, type ReadableAtom } from 'nanostores'
import type { InboxLocale } from '../i18n'

export type Theme = 'auto' | 'light' | 'dark'

export interface Preferences {
  sound: boolean
  /** Wanted by the agent; shown only while the browser also grants the permission. */
  desktop: boolean
  /** `auto` follows the browser's languages. */
  locale: InboxLocale | 'auto'
  theme: Theme
}

export const DEFAULT_PREFERENCES: Preferences = { sound: true, desktop: false, locale: 'auto', theme: 'auto' }

export interface StorageLike {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

const oneOf = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T =>
  allowed.includes(value as T) ? (value as T) : fallback

export function parsePreferences(raw: string | null): Preferences {
  let stored: Record<string, unknown> = {}
  try {
    const parsed: unknown = raw === null ? {} : JSON.parse(raw)
    if (typeof parsed === 'object' && parsed !== null) stored = parsed as Record<string, unknown>
  } catch {
    stored = {} // Damaged by hand or by another version: start from the defaults.
  }
  return {
    sound: typeof stored.sound === 'boolean' ? stored.sound : DEFAULT_PREFERENCES.sound,
    desktop: typeof stored.desktop === 'boolean' ? stored.desktop : DEFAULT_PREFERENCES.desktop,
    locale: oneOf(stored.locale, ['auto', 'en', 'id'] as const, 'auto'),
    theme: oneOf(stored.theme, ['auto', 'light', 'dark'] as const, 'auto'),
  }
}

export interface PreferenceStore {
  readonly $preferences: ReadableAtom<Preferences>
  set(change: Partial<Preferences>): void
}

export function createPreferences(storage: StorageLike, key = 'obrolan-inbox:preferences'): PreferenceStore {
  let raw: string | null = null
  try {
    raw = storage.getItem(key)
  } catch (error) {
    // Storage can be blocked (privacy settings): the defaults hold for this visit.
    console.warn('obrolan inbox: cannot read preferences', error)
  }
  const $preferences = atom(parsePreferences(raw))
  return {
    $preferences,
    set(change) {
      const next = { ...$preferences.get(), ...change }
      $preferences.set(next)
      try {
        storage.setItem(key, JSON.stringify(next))
      } catch (error) {
        console.warn('obrolan inbox: cannot save preferences', error)
      }
    },
  }
}
