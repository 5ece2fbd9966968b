/**
 * Theme options → CSS. Everything here ends up inside a stylesheet, so every value is validated
 * against a strict shape first: a colour that could close a declaration or a rule (`;`, `}`) is
 * refused with a TypeError instead of being escaped.
 */

export type WidgetPosition = 'left' | 'right'
export type ColorScheme = 'auto' | 'light' | 'dark'

export interface ThemeOptions {
  primaryColor?: string
  position?: WidgetPosition
  zIndex?: number
  colorScheme?: ColorScheme
}

export interface Theme {
  /** Validated primary colour, or undefined for the stylesheet default. */
  primaryColor?: string
  /** Text colour that reads on the primary colour (computed for hex colours only). */
  onPrimary?: string
  position: WidgetPosition
  zIndex: number
  colorScheme: ColorScheme
}

export const DEFAULT_Z_INDEX = 2147483000

const HEX = /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i
// Only digits, separators, signs, percent and one angle unit inside the parentheses: no letters
// that could form another function (url(), var()), no `;`, `}` or nested parentheses.
const FUNCTIONAL = /^(?:rgba?|hsla?)\(\s*[-+0-9.,%\s/]*(?:deg|grad|rad|turn)?[-+0-9.,%\s/]*\)$/i
const NAMED = /^[a-z]+$/i

export function isSafeColor(value: string): boolean {
  return HEX.test(value) || FUNCTIONAL.test(value) || NAMED.test(value)
}

/** Throws a TypeError naming the option and the accepted shapes when `value` is not one of them. */
export function validateColor(value: unknown, option = 'primaryColor'): string {
  if (typeof value !== 'string' || !isSafeColor(value.trim())) {
    throw new TypeError(
      `obrolan widget: \`${option}\` must be a hex colour (#rgb, #rrggbb, #rrggbbaa), rgb()/hsl() or a colour name; got ${JSON.stringify(value)}`,
    )
  }
  return value.trim()
}

/** Relative luminance (WCAG) of a hex colour; undefined for other colour syntaxes. */
export function hexLuminance(hex: string): number | undefined {
  if (!HEX.test(hex)) return undefined
  let digits = hex.slice(1)
  if (digits.length <= 4) digits = [...digits].map((d) => d + d).join('')
  const channel = (i: number) => {
    const c = parseInt(digits.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
}

/** Black or white, whichever contrasts more with a hex colour; undefined when it cannot tell. */
export function readableTextOn(color: string): string | undefined {
  const l = hexLuminance(color)
  if (l === undefined) return undefined
  // Contrast with white is 1.05/(l+0.05), with black (l+0.05)/0.05; pick the larger.
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? '#fff' : '#000'
}

export function resolveTheme(options: ThemeOptions): Theme {
  const theme: Theme = {
    position: options.position ?? 'right',
    zIndex: options.zIndex ?? DEFAULT_Z_INDEX,
    colorScheme: options.colorScheme ?? 'auto',
  }
  if (theme.position !== 'left' && theme.position !== 'right') {
    throw new TypeError(`obrolan widget: \`position\` must be "left" or "right"; got ${JSON.stringify(options.position)}`)
  }
  if (!Number.isInteger(theme.zIndex)) {
    throw new TypeError(`obrolan widget: \`zIndex\` must be an integer; got ${JSON.stringify(options.zIndex)}`)
  }
  if (theme.colorScheme !== 'auto' && theme.colorScheme !== 'light' && theme.colorScheme !== 'dark') {
    throw new TypeError(`obrolan widget: \`colorScheme\` must be "auto", "light" or "dark"; got ${JSON.stringify(options.colorScheme)}`)
  }
  if (options.primaryColor !== undefined) {
    theme.primaryColor = validateColor(options.primaryColor)
    const on = readableTextOn(theme.primaryColor)
    if (on) theme.onPrimary = on
  }
  return theme
}

/** The second adopted sheet: the options as custom properties on `:host`. */
export function themeCss(theme: Theme): string {
  const props = [`--obrolan-z:${theme.zIndex}`]
  if (theme.primaryColor) props.push(`--obrolan-primary:${theme.primaryColor}`)
  if (theme.onPrimary) props.push(`--obrolan-on-primary:${theme.onPrimary}`)
  return `:host{${props.join(';')}}`
}
