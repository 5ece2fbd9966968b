// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest'
import { createTimeFormatter, en, id, pickLocale, resolveStrings } from '../../src/widget/i18n'
import { makeMessage } from './fake-client'
import { mount, update } from './render'

describe('pickLocale', () => {
  test.each([
    ['en', 'en'],
    ['id', 'id'],
    ['id-ID', 'id'],
    ['ID_id', 'id'],
    ['en-GB', 'en'],
    ['fr', 'en'],
    ['fr-FR', 'en'],
    ['constructor', 'en'],
    ['', 'en'],
    [undefined, 'en'],
  ])('%j → %s', (input, expected) => {
    expect(pickLocale(input)).toBe(expected)
  })
})

describe('resolveStrings', () => {
  test('built-in tables have the same keys and no empty strings', () => {
    expect(Object.keys(id).sort()).toEqual(Object.keys(en).sort())
    for (const table of [en, id]) for (const value of Object.values(table)) expect(value).not.toBe('')
  })

  test('overrides replace single strings, ignore non-strings and unknown keys', () => {
    const strings = resolveStrings('id', { send: 'Kirimkan', title: 42 as unknown as string, nope: 'x' } as never)
    expect(strings.send).toBe('Kirimkan')
    expect(strings.title).toBe(id.title)
    expect('nope' in strings).toBe(false)
  })
})

describe('createTimeFormatter', () => {
  const time = Date.UTC(2024, 0, 2, 15, 7)

  test('uses Intl with 2-digit hour and minute in the given locale', () => {
    for (const locale of ['en-US', 'id-ID', 'de-DE']) {
      const expected = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(time)
      expect(createTimeFormatter(locale)(time)).toBe(expected)
    }
    // Indonesian separates hours and minutes with a dot; English (US) uses a colon and AM/PM.
    expect(createTimeFormatter('id-ID')(time)).toMatch(/^\d\d\.\d\d$/)
    expect(createTimeFormatter('en-US')(time)).toMatch(/^\d\d:\d\d\s?(AM|PM)$/)
  })

  test('an invalid locale tag falls back instead of throwing', () => {
    expect(() => createTimeFormatter('not a locale!!')(time)).not.toThrow()
  })
})

describe('the widget in Indonesian', () => {
  test("locale 'id' renders Indonesian strings and Indonesian times", async () => {
    const { ui, fake } = mount({ locale: 'id', open: true })
    const message = makeMessage({ text: 'Halo' })
    await update(() => fake.stores.messages.set([message]))
    expect(ui.getByRole('dialog', { name: id.title })).toBeTruthy()
    expect(ui.getByLabelText('Pesan', { selector: 'textarea' })).toBeTruthy()
    expect(ui.getByRole('button', { name: 'Kirim' })).toBeTruthy()
    expect(ui.getByRole('img', { name: 'Terkirim' })).toBeTruthy()
    const expected = new Intl.DateTimeFormat('id', { hour: '2-digit', minute: '2-digit' }).format(message.createdAt)
    expect(ui.getByText(expected).tagName).toBe('TIME')
  })

  test("'id-ID' falls back to Indonesian strings", () => {
    const { ui } = mount({ locale: 'id-ID', open: true })
    expect(ui.getByRole('button', { name: 'Kirim' })).toBeTruthy()
  })

  test("'fr' falls back to English strings", () => {
    const { ui } = mount({ locale: 'fr', open: true })
    expect(ui.getByRole('button', { name: 'Send' })).toBeTruthy()
    expect(ui.getByRole('dialog', { name: 'Chat with us' })).toBeTruthy()
  })

  test('the strings option overrides single strings, and title overrides the header', () => {
    const { ui } = mount({ locale: 'id', open: true, strings: { send: 'Kirimkan' }, title: 'Toko Budi' })
    expect(ui.getByRole('button', { name: 'Kirimkan' })).toBeTruthy()
    expect(ui.getByRole('heading', { name: 'Toko Budi' })).toBeTruthy()
    expect(ui.getByRole('dialog', { name: 'Toko Budi' })).toBeTruthy()
  })
})
