// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest'
import { mountWidget } from '../../src/widget'
import { isSafeColor, readableTextOn, resolveTheme, themeCss, validateColor } from '../../src/widget/theme'
import { createFakeClient } from './fake-client'

describe('colour validation', () => {
  test.each(['#abc', '#abcd', '#aabbcc', '#AABBCC80', 'rgb(1, 2, 3)', 'rgba(1,2,3,.5)', 'rgb(1 2 3 / 50%)', 'hsl(210deg 50% 40%)', 'hsl(210, 50%, 40%)', 'rebeccapurple', 'Red'])(
    'accepts %s',
    (color) => {
      expect(isSafeColor(color)).toBe(true)
      expect(validateColor(color)).toBe(color)
    },
  )

  test.each([
    'red; background: url(https://evil.io/x)',
    'red}body{display:none',
    '#abcde',
    '#ggg',
    'rgb(1,2,3));x:y',
    'rgb(var(--x))',
    'url(https://evil.io)',
    'color-mix(in srgb, red, blue)',
    'expression(alert(1))',
    'light-blue',
    '',
    ' ',
  ])('refuses %j with a TypeError naming the option', (color) => {
    expect(isSafeColor(color)).toBe(false)
    expect(() => validateColor(color)).toThrow(TypeError)
    expect(() => validateColor(color)).toThrow(/primaryColor/)
  })

  test('refuses non-strings', () => {
    expect(() => validateColor(42)).toThrow(TypeError)
  })
})

describe('resolveTheme', () => {
  test('defaults', () => {
    expect(resolveTheme({})).toEqual({ position: 'right', zIndex: 2147483000, colorScheme: 'auto' })
  })

  test('text on the primary colour is the more readable of black and white', () => {
    expect(readableTextOn('#1d4ed8')).toBe('#fff')
    expect(readableTextOn('#fde047')).toBe('#000')
    expect(readableTextOn('#fff')).toBe('#000')
    expect(readableTextOn('rebeccapurple')).toBeUndefined()
    expect(resolveTheme({ primaryColor: '#fde047' })).toMatchObject({ primaryColor: '#fde047', onPrimary: '#000' })
  })

  test('bad position, zIndex and colorScheme throw', () => {
    expect(() => resolveTheme({ position: 'top' as 'left' })).toThrow(/position/)
    expect(() => resolveTheme({ zIndex: 1.5 })).toThrow(/zIndex/)
    expect(() => resolveTheme({ zIndex: Number.NaN })).toThrow(/zIndex/)
    expect(() => resolveTheme({ colorScheme: 'sepia' as 'auto' })).toThrow(/colorScheme/)
  })

  test('themeCss puts the options on :host as custom properties', () => {
    const css = themeCss(resolveTheme({ primaryColor: '#7c3aed', zIndex: 10 }))
    expect(css).toBe(':host{--obrolan-z:10;--obrolan-primary:#7c3aed;--obrolan-on-primary:#fff}')
    expect(themeCss(resolveTheme({}))).toBe(':host{--obrolan-z:2147483000}')
  })
})

describe('mountWidget theme options', () => {
  test('a bad primaryColor throws before anything is added to the page', () => {
    const { client } = createFakeClient()
    expect(() => mountWidget({ client, primaryColor: 'red;}*{display:none' })).toThrow(TypeError)
    expect(document.body.children).toHaveLength(0)
  })

  test('the theme sheet is adopted after the base sheet, with the validated values', () => {
    const { client } = createFakeClient()
    const handle = mountWidget({ client, primaryColor: '#7c3aed', zIndex: 99, position: 'left', colorScheme: 'dark' })
    try {
      const sheets = handle.host.shadowRoot!.adoptedStyleSheets
      expect(sheets).toHaveLength(2)
      const themeText = [...sheets[1]!.cssRules].map((rule) => rule.cssText).join('')
      expect(themeText).toContain('--obrolan-primary')
      expect(themeText).toContain('#7c3aed')
      expect(themeText).toContain('99')
      expect(handle.host.getAttribute('data-position')).toBe('left')
      expect(handle.host.getAttribute('data-color-scheme')).toBe('dark')
    } finally {
      handle.destroy()
    }
  })
})
