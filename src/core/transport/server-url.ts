/**
 * The server address as engine.io needs it: absolute, with a scheme. Site owners write
 * `chat.example.com`, `//chat.example.com` or `/` as often as a full URL; these resolve against
 * the page the way socket.io-client's `io(url)` resolved them, so switching to engine.io
 * directly changes nothing for them.
 */
export function absoluteServerUrl(url: string): string {
  const page = typeof location === 'undefined' ? undefined : location
  if (url.startsWith('//')) url = (page?.protocol ?? 'https:') + url
  else if (url.startsWith('/') && page) url = page.host + url
  return /^(https?|wss?):\/\//.test(url) ? url : `${page?.protocol ?? 'https:'}//${url}`
}
