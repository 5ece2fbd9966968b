import { describe, expect, it } from 'vitest'
import { chatBundleUrl } from '../../src/embed/chat-bundle'

describe('chat file URL', () => {
  it('sits next to the loader, on its origin, keeping its query', () => {
    expect(chatBundleUrl('https://cdn.example/npm/obrolan@0.2.0/dist/obrolan.iife.js', 'https://shop.example/')).toBe(
      'https://cdn.example/npm/obrolan@0.2.0/dist/obrolan.chat.js',
    )
    expect(chatBundleUrl('/assets/obrolan.iife.js?v=7', 'https://shop.example/p/kopi.html')).toBe('https://shop.example/assets/obrolan.chat.js?v=7')
    expect(chatBundleUrl('js/obrolan.iife.js#x', 'https://shop.example/p/kopi.html')).toBe('https://shop.example/p/js/obrolan.chat.js')
  })
})
