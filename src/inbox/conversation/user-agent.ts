/**
 * A browser's user-agent string as an agent reads it: "Chrome 126" on "Windows", "Safari 17" on
 * "iOS 17.4". A small table of the browsers and systems visitors use, most specific first (every
 * Chromium browser also says "Chrome", every iOS browser "Safari"); anything else is left
 * unnamed rather than guessed.
 */
export interface BrowserInfo {
  browser?: string
  os?: string
}

/** [name, pattern whose first group is the version]; the first that matches wins. */
const BROWSERS: [string, RegExp][] = [
  ['Edge', /\bEdg(?:e|A|iOS)?\/(\d+)/],
  ['Opera', /\b(?:OPR|Opera)\/(\d+)/],
  ['Samsung Internet', /\bSamsungBrowser\/(\d+)/],
  ['Firefox', /\b(?:Firefox|FxiOS)\/(\d+)/],
  // Automation (tests, crawlers that run a browser) says so.
  ['Headless Chrome', /\bHeadlessChrome\/(\d+)/],
  ['Chrome', /\b(?:Chrome|CriOS)\/(\d+)/],
  ['Safari', /\bVersion\/(\d+)(?:\.\d+)*(?: Mobile\/\S+)? Safari\//],
]

const WINDOWS: Record<string, string> = { '10.0': '10 or 11', '6.3': '8.1', '6.2': '8', '6.1': '7' }

function operatingSystem(ua: string): string | undefined {
  const windows = /Windows NT (\d+\.\d+)/.exec(ua)
  if (windows) return `Windows ${WINDOWS[windows[1]!] ?? windows[1]}`
  const ios = /(?:iPhone|CPU) OS (\d+)(?:_(\d+))?/.exec(ua)
  if (ios) return `iOS ${ios[1]}${ios[2] ? `.${ios[2]}` : ''}`
  if (/\biPad\b/.test(ua)) return 'iPadOS'
  const android = /Android (\d+(?:\.\d+)?)/.exec(ua)
  if (android) return `Android ${android[1]}`
  if (/\bCrOS\b/.test(ua)) return 'ChromeOS'
  if (/Mac OS X/.test(ua)) return 'macOS'
  if (/Linux/.test(ua)) return 'Linux'
  return undefined
}

export function parseUserAgent(ua: string | undefined): BrowserInfo {
  if (!ua) return {}
  const info: BrowserInfo = {}
  for (const [name, pattern] of BROWSERS) {
    const match = pattern.exec(ua)
    if (match) {
      info.browser = `${name} ${match[1]}`
      break
    }
  }
  const os = operatingSystem(ua)
  if (os) info.os = os
  return info
}
