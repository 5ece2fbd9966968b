import { afterEach, describe, expect, it, vi } from 'vitest'
import { absoluteServerUrl } from '../../src/core/transport/server-url'

afterEach(() => vi.unstubAllGlobals())

describe('absoluteServerUrl', () => {
  it('keeps absolute URLs as they are', () => {
    expect(absoluteServerUrl('https://chat.example.com')).toBe('https://chat.example.com')
    expect(absoluteServerUrl('http://127.0.0.1:3000/?a=1')).toBe('http://127.0.0.1:3000/?a=1')
    expect(absoluteServerUrl('wss://chat.example.com')).toBe('wss://chat.example.com')
  })

  it('resolves host-only, protocol-relative and path-only URLs against the page, as io(url) did', () => {
    vi.stubGlobal('location', { protocol: 'http:', host: 'shop.example.com:8080' })
    expect(absoluteServerUrl('chat.example.com')).toBe('http://chat.example.com')
    expect(absoluteServerUrl('//chat.example.com')).toBe('http://chat.example.com')
    expect(absoluteServerUrl('/')).toBe('http://shop.example.com:8080/')
  })

  it('assumes https without a page', () => {
    expect(absoluteServerUrl('chat.example.com:3000')).toBe('https://chat.example.com:3000')
    expect(absoluteServerUrl('//chat.example.com')).toBe('https://chat.example.com')
  })
})
