/**
 * The few strings the closed launcher shows, apart from the rest: the script-tag loader draws the
 * launcher before the chat file arrives and carries only these (the widget's own strings build on
 * them, so the two never disagree), and the locale choice both make.
 */
export const LAUNCHER_STRINGS = {
  en: { title: 'Chat with us', openChat: 'Open chat' },
  id: { title: 'Obrolan dengan kami', openChat: 'Buka obrolan' },
}

export type BuiltInLocale = keyof typeof LAUNCHER_STRINGS
export type LauncherStrings = (typeof LAUNCHER_STRINGS)['en']

// Own keys only: `'constructor' in LAUNCHER_STRINGS` is true.
const isBuiltIn = (tag: string): tag is BuiltInLocale => Object.prototype.hasOwnProperty.call(LAUNCHER_STRINGS, tag)

/** 'id' and 'id-ID' → 'id'; 'EN_gb' → 'en'; anything unknown → 'en'. */
export function pickLocale(locale: string | undefined): BuiltInLocale {
  const tag = (locale ?? '').trim().toLowerCase().replace(/_/g, '-')
  if (isBuiltIn(tag)) return tag
  const language = tag.split('-')[0] ?? ''
  return isBuiltIn(language) ? language : 'en'
}

/** The launcher's strings for `locale`, with a site's string overrides on top. */
export function launcherStrings(locale: string | undefined, overrides?: Partial<Record<keyof LauncherStrings, unknown>>): LauncherStrings {
  const strings = { ...LAUNCHER_STRINGS[pickLocale(locale)] }
  for (const key of Object.keys(strings) as (keyof LauncherStrings)[]) {
    const value = overrides?.[key]
    if (typeof value === 'string') strings[key] = value
  }
  return strings
}
