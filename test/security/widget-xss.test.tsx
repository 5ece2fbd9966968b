// @vitest-environment happy-dom
/**
 * The XSS corpus as message text, author names and the widget title, rendered by the widget in
 * happy-dom: every payload shows as text, no element the widget did not make appears, no link
 * has a scheme other than http(s) or mailto, and no payload runs.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { XSS_CORPUS, XSS_NAMES } from '../support/xss-corpus'
import { makeMessage } from '../widget/fake-client'
import { mount, update } from '../widget/render'

const ran: number[] = []
beforeEach(() => {
  ;(window as unknown as { __xss(n: number): void }).__xss = (n) => ran.push(n)
})
afterEach(() => {
  ran.length = 0
})

/** Elements a payload would add; the widget itself makes none of these inside message text. */
const FOREIGN = 'script, iframe, img, object, embed, style:not([data-obrolan]), details, math, body, svg:not([aria-hidden="true"])'

describe('widget against the XSS corpus', () => {
  it('renders every payload as text, in messages, names and the title', async () => {
    const { root, fake } = mount({ open: true, title: XSS_NAMES[1], greeting: XSS_CORPUS[0] })
    const messages = XSS_CORPUS.flatMap((text, i) => [
      makeMessage({ text, own: false, author: { id: `a${i}`, role: 'agent', name: XSS_NAMES[i] } }),
      makeMessage({ text, own: true }),
    ])
    await update(() => fake.stores.messages.set(messages))
    await new Promise((resolve) => setTimeout(resolve, 50))

    expect(root.querySelectorAll(FOREIGN)).toHaveLength(0)
    for (const link of root.querySelectorAll('a')) {
      expect(link.getAttribute('href')).toMatch(/^(https?:\/\/|mailto:)/)
      expect(link.getAttribute('rel')).toBe('noopener noreferrer')
    }
    for (const element of root.querySelectorAll('*')) {
      for (const attribute of element.getAttributeNames()) expect(attribute).not.toMatch(/^on/i)
    }
    const text = root.textContent ?? ''
    for (const payload of XSS_CORPUS.slice(0, 20)) expect(text).toContain(payload.replace(/\t/g, '\t'))
    expect(text).toContain(XSS_NAMES[1]!)
    // Author names reach the page as text or as an accessible label, never as markup.
    const labels = [...root.querySelectorAll('[aria-label]')].map((el) => el.getAttribute('aria-label')).join('\n')
    expect(`${text}\n${labels}`).toContain(XSS_NAMES[2]!)
    expect(ran).toEqual([])
  })
})
