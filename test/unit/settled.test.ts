import { atom } from 'nanostores'
import { describe, expect, it } from 'vitest'
import { settled } from '../../src/core/view/settled'

describe('settled store', () => {
  it('tells its listeners once per task, with the end state, and reads up to date at any time', async () => {
    const $a = atom(1)
    const $b = atom(10)
    let derivations = 0
    const $sum = settled([$a, $b], (a, b) => {
      derivations++
      return a + b
    })
    const heard: number[] = []
    $sum.listen((value) => heard.push(value))
    expect(derivations).toBe(1)
    for (let i = 2; i <= 5; i++) $a.set(i)
    $b.set(20)
    expect(heard).toEqual([])
    expect($sum.get()).toBe(25)
    await Promise.resolve()
    // The read above already told the listeners; the task's end finds nothing new.
    expect(heard).toEqual([25])
    $a.set(6)
    await Promise.resolve()
    expect(heard).toEqual([25, 26])
    expect(derivations).toBe(3)
  })

  it('derives nothing again while its sources stay the same', () => {
    const $a = atom({ n: 1 })
    let derivations = 0
    const $copy = settled([$a], (a) => (derivations++, a.n))
    expect($copy.get()).toBe(1)
    expect($copy.get()).toBe(1)
    expect(derivations).toBe(1)
  })
})
