/**
 * The closed launcher the loader draws before the chat file has arrived: a plain-DOM button in a
 * shadow root, with no Preact, that looks and sits exactly like the widget's own launcher
 * (`src/widget/Launcher.tsx`; the rules are the widget's own, from `launcher-css.ts`), so the
 * swap at handover does not show. The browser tests compare the two launchers' boxes and colours.
 */
import { LAUNCHER_RULES } from '../widget/launcher-css'
import { themeCss, type Theme } from '../widget/theme'

/**
 * The widget's `HOST_ATTRIBUTE`, written out: importing it would pull `mount-widget` (and Preact)
 * into the loader. A unit test checks the two agree.
 */
export const WIDGET_HOST_ATTRIBUTE = 'data-obrolan-widget'

/** Marks the loader's host element, beside the widget's own attribute (so page overrides of the custom properties apply to both). */
export const LOADER_ATTRIBUTE = 'data-obrolan-loader'

// The widget's values for what a launcher shows; the dark focus colour matches its dark scheme.
const LAUNCHER_CSS = `
:host{all:initial !important;--obrolan-primary:#1d4ed8;--obrolan-on-primary:#fff;--obrolan-z:2147483000;--obrolan-focus:#1d4ed8}
@media (prefers-color-scheme:dark){:host([data-color-scheme=auto]){--obrolan-focus:#93c5fd}}
:host([data-color-scheme=dark]){--obrolan-focus:#93c5fd}
*,*::before,*::after{box-sizing:border-box}
button{font:inherit;margin:0;cursor:pointer;border:0;padding:0}
${LAUNCHER_RULES}@media (prefers-reduced-motion:reduce){.launcher{transition:none}}
`

const SVG_NS = 'http://www.w3.org/2000/svg'

/** The widget's chat icon (`ChatIcon` in `src/widget/icons.tsx`), built with DOM calls. */
function chatIcon(doc: Document): SVGSVGElement {
  const svg = doc.createElementNS(SVG_NS, 'svg')
  const attributes: Record<string, string> = {
    'aria-hidden': 'true', focusable: 'false', fill: 'none', stroke: 'currentColor', 'stroke-linecap': 'round',
    'stroke-linejoin': 'round', width: '26', height: '26', viewBox: '0 0 24 24', 'stroke-width': '2',
  }
  for (const name in attributes) svg.setAttribute(name, attributes[name]!)
  const path = doc.createElementNS(SVG_NS, 'path')
  path.setAttribute('d', 'M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.8A8 8 0 1 1 21 12z')
  svg.appendChild(path)
  return svg
}

export interface LoaderLauncherOptions {
  theme: Theme
  /** The landmark's name, as the widget's (`title` option or the locale's default). */
  title: string
  /** The button's accessible name (the locale's "Open chat"). */
  label: string
  /** Clicked, or Enter/Space: the visitor wants the chat now. */
  onOpen(): void
  /** Hovered or focused: the visitor may want it soon. */
  onIntent(): void
}

export interface LoaderLauncher {
  readonly host: HTMLElement
  /** Whether the button has keyboard focus, to give it to the widget's launcher at handover. */
  hasFocus(): boolean
  /**
   * Whether a press on the button has begun and not ended: a click is under way. Removed now, the
   * button would never get it (the press ends on the widget's launcher), so the handover opens.
   */
  isPressed(): boolean
  remove(): void
}

export function drawLoaderLauncher(doc: Document, options: LoaderLauncherOptions): LoaderLauncher {
  const win = doc.defaultView as Window & typeof globalThis
  const sheet = (css: string) => {
    const s = new win.CSSStyleSheet()
    s.replaceSync(css)
    return s
  }
  const host = doc.createElement('div')
  host.setAttribute(WIDGET_HOST_ATTRIBUTE, '')
  host.setAttribute(LOADER_ATTRIBUTE, '')
  host.setAttribute('data-position', options.theme.position)
  host.setAttribute('data-color-scheme', options.theme.colorScheme)
  const shadow = host.attachShadow({ mode: 'open' })
  // Constructed stylesheets, as the widget's: no <style> element or style attribute under a strict CSP.
  shadow.adoptedStyleSheets = [sheet(LAUNCHER_CSS), sheet(themeCss(options.theme))]

  const landmark = doc.createElement('aside')
  landmark.setAttribute('aria-label', options.title)
  const button = doc.createElement('button')
  button.type = 'button'
  button.className = 'launcher'
  // There is no panel yet for aria-controls to name; "collapsed" is still what the button is.
  button.setAttribute('aria-expanded', 'false')
  const label = doc.createElement('span')
  label.className = 'sr-only'
  label.textContent = options.label
  button.append(chatIcon(doc), label)
  button.addEventListener('click', options.onOpen)
  button.addEventListener('pointerenter', options.onIntent)
  button.addEventListener('focus', options.onIntent)
  let pressed = false
  button.addEventListener('pointerdown', () => void (pressed = true))
  for (const end of ['pointerup', 'pointercancel', 'pointerleave'] as const) button.addEventListener(end, () => void (pressed = false))
  landmark.appendChild(button)
  shadow.appendChild(landmark)
  doc.body.appendChild(host)

  return {
    host,
    hasFocus: () => doc.activeElement === host && shadow.activeElement === button,
    isPressed: () => pressed,
    remove: () => host.remove(),
  }
}
