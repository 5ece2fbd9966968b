// The `obrolan/widget` entry: `mountWidget` and the types of its options and handle, documented in
// README.md. The helpers it is built from (themes, locales, autolinking) stay internal.
export { mountWidget, type WidgetOptions, type WidgetHandle } from './mount-widget'
export type { WidgetStrings, BuiltInLocale } from './i18n'
export type { ColorScheme, WidgetPosition } from './theme'
