// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest'
import { autolink, type TextSegment } from '../../src/ui/autolink'

const links = (text: string) => autolink(text).filter((s): s is Extract<TextSegment, { type: 'link' }> => s.type === 'link').map((s) => s.href)

describe('autolink', () => {
  test('plain text is one text segment', () => {
    expect(autolink('just words')).toEqual([{ type: 'text', text: 'just words' }])
    expect(autolink('')).toEqual([])
  })

  test('links http, https and mailto, keeping the text around them', () => {
    expect(autolink('see http://a.io and https://b.io/x?y=1#z or mailto:hi@c.io ok')).toEqual([
      { type: 'text', text: 'see ' },
      { type: 'link', text: 'http://a.io', href: 'http://a.io' },
      { type: 'text', text: ' and ' },
      { type: 'link', text: 'https://b.io/x?y=1#z', href: 'https://b.io/x?y=1#z' },
      { type: 'text', text: ' or ' },
      { type: 'link', text: 'mailto:hi@c.io', href: 'mailto:hi@c.io' },
      { type: 'text', text: ' ok' },
    ])
  })

  test('scheme case does not matter', () => {
    expect(links('HTTPS://EXAMPLE.COM/A')).toEqual(['HTTPS://EXAMPLE.COM/A'])
  })

  test('javascript:, data:, ftp: and other schemes stay text', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'ftp://files.example.com/a', 'file:///etc/passwd', 'vbscript:msgbox']) {
      expect(links(text), text).toEqual([])
      expect(autolink(text).map((s) => s.text).join('')).toBe(text)
    }
  })

  test('a scheme with nothing after it is not a link', () => {
    expect(links('http:// and https:// and mailto:')).toEqual([])
  })

  test('a scheme glued to a word is not a link', () => {
    expect(links('xhttps://evil.io')).toEqual([])
  })

  test('trailing punctuation is not part of the link', () => {
    expect(links('Go to https://a.io.')).toEqual(['https://a.io'])
    expect(links('https://a.io/x, then')).toEqual(['https://a.io/x'])
    expect(links('really? https://a.io/q?x=1!')).toEqual(['https://a.io/q?x=1'])
    expect(links('"https://a.io/quoted"')).toEqual(['https://a.io/quoted'])
    expect(links('mailto:me@a.io;')).toEqual(['mailto:me@a.io'])
    const segments = autolink('Go to https://a.io.')
    expect(segments[segments.length - 1]).toEqual({ type: 'text', text: '.' })
  })

  test('brackets: a closing one that balances stays, one that closes the sentence goes', () => {
    expect(links('(see https://a.io/x)')).toEqual(['https://a.io/x'])
    expect(links('https://en.wikipedia.org/wiki/Foo_(bar)')).toEqual(['https://en.wikipedia.org/wiki/Foo_(bar)'])
    expect(links('(https://en.wikipedia.org/wiki/Foo_(bar)).')).toEqual(['https://en.wikipedia.org/wiki/Foo_(bar)'])
  })

  test('stops at whitespace, quotes and angle brackets', () => {
    expect(links('<https://a.io/x>')).toEqual(['https://a.io/x'])
    expect(links('https://a.io/x\nnext line')).toEqual(['https://a.io/x'])
  })

  test('a URL inside a javascript: text only links the https part', () => {
    const segments = autolink("javascript:alert('https://a.io')")
    expect(segments.filter((s) => s.type === 'link').map((s) => s.text)).toEqual(['https://a.io'])
    expect(segments.map((s) => s.text).join('')).toBe("javascript:alert('https://a.io')")
  })
})
