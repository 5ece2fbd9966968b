// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest'
import userEvent from '@testing-library/user-event'
import type { ConnectionStatus, SiteInfo } from '../../src/index'
import { en, id } from '../../src/widget/i18n'
import { WIDGET_CSS } from '../../src/widget/styles'
import { connectionTone } from '../../src/widget/ConnectionDot'
import { presence } from './fake-client'
import { mount, update } from './render'

const STATUSES: [ConnectionStatus, string, string][] = [
  ['connected', 'Connected', 'Terhubung'],
  ['connecting', 'Connecting…', 'Menghubungkan…'],
  ['reconnecting', 'Reconnecting…', 'Menghubungkan ulang…'],
  ['disconnected', 'Disconnected', 'Terputus'],
  ['offline', 'Offline', 'Luring'],
]

describe('connection dot', () => {
  test.each(STATUSES)('%s shows its label in English and Indonesian', async (status, english, indonesian) => {
    for (const [locale, label] of [
      ['en', english],
      ['id', indonesian],
    ] as const) {
      const { ui, fake, handle } = mount({ locale, open: true })
      await update(() => fake.stores.status.set(status))
      const region = ui.getByRole('status')
      expect(region.textContent).toBe(label)
      expect(region.getAttribute('data-status')).toBe(status)
      // The dot itself is decorative: the label carries the meaning.
      expect(region.querySelector('.dot')!.getAttribute('aria-hidden')).toBe('true')
      handle.destroy()
    }
  })

  test('follows the status store as it changes', async () => {
    const { ui, fake } = mount({ open: true })
    expect(ui.getByRole('status').textContent).toBe('Connected')
    await update(() => fake.stores.status.set('reconnecting'))
    expect(ui.getByRole('status').textContent).toBe('Reconnecting…')
    await update(() => fake.stores.status.set('connected'))
    expect(ui.getByRole('status').textContent).toBe('Connected')
  })

  test('the stylesheet colours the dot per status and pulses only while (re)connecting, not under reduced motion', async () => {
    // The source text: happy-dom's CSS parser rewrites shorthands, so cssRules is not a faithful copy.
    const css = WIDGET_CSS
    expect(css).toMatch(/\[data-tone="?green"?\] \.dot\s*\{[^}]*--obrolan-ok/)
    expect(css).toMatch(/\[data-tone="?yellow"?\] \.dot\s*\{[^}]*animation/)
    expect(css).toMatch(/prefers-reduced-motion:\s*reduce[^{]*\{[^{]*\{[^}]*animation:\s*none/)
  })
})

describe('connection tone', () => {
  test.each([
    ['connected', 0, 'green'],
    ['connecting', 0, 'yellow'],
    ['reconnecting', 0, 'yellow'],
    ['reconnecting', 1, 'red'],
    ['connecting', 2, 'red'],
    ['disconnected', 0, 'red'],
    ['offline', 0, 'red'],
  ] as const)('%s with %i failures is %s', (status, failures, tone) => {
    expect(connectionTone(status, failures)).toBe(tone)
  })

  test('turns red with a "retrying" label once attempts fail, green again when connected', async () => {
    const { ui, fake } = mount({ open: true })
    await update(() => fake.stores.status.set('reconnecting'))
    expect(ui.getByRole('status').getAttribute('data-tone')).toBe('yellow')
    await update(() => fake.stores.failures.set(1))
    expect(ui.getByRole('status').getAttribute('data-tone')).toBe('red')
    expect(ui.getByRole('status').textContent).toBe('Disconnected, retrying…')
    await update(() => {
      fake.stores.failures.set(0)
      fake.stores.status.set('connected')
    })
    expect(ui.getByRole('status').getAttribute('data-tone')).toBe('green')
  })
})

describe('header', () => {
  const site = (agentsOnline: boolean, extra: Partial<SiteInfo> = {}): SiteInfo => ({ availability: { agentsOnline, withinHours: true }, awayEmail: 'optional', ...extra })

  test('shows the title and who can answer: an agent here, the team online, or away', async () => {
    const { ui, fake } = mount({ open: true, title: 'Support' })
    expect(ui.getByRole('heading', { name: 'Support' })).toBeTruthy()
    // Before the server has said, nothing is claimed.
    expect(ui.queryByText(en.agentAway)).toBeNull()
    expect(ui.queryByText(en.agentOnline)).toBeNull()
    await update(() => fake.stores.site.set(site(false)))
    expect(ui.getByText('We’re away')).toBeTruthy()
    // An agent with the inbox open anywhere: online, though nobody opened this conversation.
    await update(() => fake.stores.site.set(site(true, { replyMinutes: 5 })))
    expect(ui.getByText('We’re online')).toBeTruthy()
    expect(ui.getByText('We usually reply within 5 min')).toBeTruthy()
    expect(ui.queryByText(en.agentAway)).toBeNull()
    await update(() => fake.stores.presence.set(presence(true)))
    expect(ui.getByText('An agent is here')).toBeTruthy()
    await update(() => {
      fake.stores.presence.set(presence(false))
      fake.stores.site.set({ ...site(true), availability: { agentsOnline: true, withinHours: false, opensAt: Date.UTC(2030, 0, 7, 2) } })
    })
    expect(ui.getByText('We’re away')).toBeTruthy()
  })

  test('presence in Indonesian', async () => {
    const { ui, fake } = mount({ open: true, locale: 'id' })
    await update(() => fake.stores.presence.set(presence(true)))
    expect(ui.getByText(id.agentHere)).toBeTruthy()
    await update(() => {
      fake.stores.presence.set(presence(false))
      fake.stores.site.set(site(true))
    })
    expect(ui.getByText('Kami sedang online')).toBeTruthy()
  })

  test('the sound switch is a toggle button that the browser remembers', async () => {
    const { ui, handle } = mount({ open: true })
    const mute = ui.getByRole('button', { name: 'Mute sounds' })
    expect(mute.getAttribute('aria-pressed')).toBe('false')
    await userEvent.setup().click(mute)
    expect(mute.getAttribute('aria-pressed')).toBe('true')
    expect(localStorage.getItem('obrolan:muted')).toBe('1')
    handle.destroy()
    const again = mount({ open: true })
    expect(again.ui.getByRole('button', { name: 'Mute sounds' }).getAttribute('aria-pressed')).toBe('true')
    await userEvent.setup().click(again.ui.getByRole('button', { name: 'Mute sounds' }))
    expect(localStorage.getItem('obrolan:muted')).toBeNull()
  })
})
