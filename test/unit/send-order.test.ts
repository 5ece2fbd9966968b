import { describe, expect, it } from 'vitest'
import { clientIdOf, SendOrderGate } from '../../src/server/send-order'

describe('send order gate', () => {
  it('admits everything until a refusal', () => {
    const gate = new SendOrderGate(() => 0)
    expect(['a', 'b', 'c'].map((id) => gate.admits(id))).toEqual([true, true, true])
  })

  it('after a refusal, admits only the refused message, then everything again', () => {
    const gate = new SendOrderGate(() => 0)
    gate.refused('n')
    gate.refused('n+1') // later refusals do not move the gate
    expect(gate.admits('n+1')).toBe(false)
    expect(gate.admits('n+2')).toBe(false)
    expect(gate.admits('n')).toBe(true)
    expect(gate.admits('n+1')).toBe(true)
    expect(gate.waiting).toBeUndefined()
  })

  it('lets later messages pass once the refused one has been awaited for too long', () => {
    let now = 1000
    const gate = new SendOrderGate(() => now, 10_000)
    gate.refused('n')
    now = 10_999
    expect(gate.admits('n+1')).toBe(false)
    // The client learned that n was stored after all and will never send it again.
    now = 11_000
    expect(gate.admits('n+1')).toBe(true)
    expect(gate.waiting).toBeUndefined()
  })

  it('reads the clientId of a payload without trusting its shape', () => {
    expect(clientIdOf({ clientId: 'c1' })).toBe('c1')
    for (const junk of [null, undefined, 'c1', 42, [], { clientId: 5 }]) expect(clientIdOf(junk)).toBeUndefined()
  })
})
