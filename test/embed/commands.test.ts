import { describe, expect, it } from 'vitest'
import { bootOptionsFromDataset, parseCommand } from '../../src/embed/commands'

describe('script-tag commands', () => {
  it('parses each command', () => {
    expect(parseCommand(['boot', { server: 'https://chat.example' }])).toEqual({ name: 'boot', options: { server: 'https://chat.example' } })
    for (const name of ['open', 'close', 'toggle', 'shutdown']) expect(parseCommand([name])).toEqual({ name })
    const listener = () => {}
    expect(parseCommand(['on', 'message', listener])).toEqual({ name: 'on', event: 'message', listener })
    const identity = { userId: 'u1', userHash: 'a'.repeat(64), name: 'Sari' }
    expect(parseCommand(['identify', identity])).toEqual({ name: 'identify', identity })
  })

  it('says clearly what is wrong with a bad call', () => {
    expect(() => parseCommand(['boot'])).toThrow(/options.server/)
    expect(() => parseCommand(['boot', { server: '' }])).toThrow(/options.server/)
    expect(() => parseCommand(['opne'])).toThrow(/unknown command "opne"/)
    expect(() => parseCommand([])).toThrow(/unknown command/)
    expect(() => parseCommand(['on', 'message'])).toThrow(/a function/)
    expect(() => parseCommand(['identify', { userId: 'u1' }])).toThrow(/userHash/)
    expect(() => parseCommand(['identify', { userId: 'u1', userHash: 'x', email: 5 }])).toThrow(/email must be a string/)
  })

  it('reads boot options from data attributes, ignoring values it does not understand', () => {
    expect(bootOptionsFromDataset({})).toBeUndefined()
    expect(
      bootOptionsFromDataset({
        server: 'https://chat.example',
        title: 'Help',
        greeting: 'Hi',
        color: '#123456',
        position: 'left',
        locale: 'id',
        zIndex: '99',
        colorScheme: 'dark',
        open: 'true',
        name: 'Guest',
      }),
    ).toEqual({
      server: 'https://chat.example',
      title: 'Help',
      greeting: 'Hi',
      primaryColor: '#123456',
      position: 'left',
      locale: 'id',
      zIndex: 99,
      colorScheme: 'dark',
      open: true,
      name: 'Guest',
    })
    expect(bootOptionsFromDataset({ server: 's', position: 'middle', zIndex: 'high', colorScheme: 'sepia', open: 'no' })).toEqual({ server: 's' })
  })
})
