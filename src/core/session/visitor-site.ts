/**
 * A visitor's side of what the site and the visitor tell each other: the site's settings and
 * availability (from `session`, then `availability_update`), and what the visitor told the team
 * (`setContact`). The contact is kept in storage and sent with every handshake, so what a visitor
 * typed while offline, or just before a reload, still reaches the server; when connected it also
 * goes at once with `update_contact`, whose answer (the contact as the server keeps it) wins.
 */
import { atom, type ReadableAtom } from 'nanostores'
import { isEmailAddress, type Availability, type SiteInfo, type VisitorContact } from '../../protocol'
import { ChatError } from '../errors'
import type { Link } from '../transport/link'
import { readJson, writeJson, type StorageLike } from '../util/storage'

export interface VisitorSiteOptions {
  storage: StorageLike
  contactKey: string
}

export class VisitorSite {
  private readonly $site = atom<SiteInfo | undefined>(undefined)
  private readonly $contact = atom<VisitorContact | undefined>(undefined)

  constructor(private readonly options: VisitorSiteOptions) {
    this.$contact.set(parseContact(readJson(options.storage, options.contactKey)))
  }

  get site(): ReadableAtom<SiteInfo | undefined> {
    return this.$site
  }

  get contact(): ReadableAtom<VisitorContact | undefined> {
    return this.$contact
  }

  sessionStarted(site: SiteInfo | undefined): void {
    if (site) this.$site.set(site)
  }

  availability(availability: Availability): void {
    const site = this.$site.get()
    if (site) this.$site.set({ ...site, availability })
  }

  /** What the server keeps (a join's or an update's answer): it wins over what this browser had. */
  confirmed(contact: VisitorContact | undefined): void {
    if (!contact) return
    this.$contact.set(contact)
    writeJson(this.options.storage, this.options.contactKey, contact)
  }

  /**
   * Keeps the update, and sends it when connected; resolves to the contact as the server keeps
   * it, or (offline: it goes with the next handshake) as this browser will send it.
   */
  async tell(update: VisitorContact, link: Link, roomId: string | undefined): Promise<VisitorContact> {
    this.update(update)
    if (!link.session || !roomId) return this.$contact.get() ?? {}
    const ack = await link.request('update_contact', { roomId, contact: update })
    if (!ack.ok) throw new ChatError(ack.error.code, `update_contact: ${ack.error.message}`)
    this.confirmed(ack.contact)
    return ack.contact
  }

  /** Checks an update as the server would and merges it into what is kept. */
  private update(update: VisitorContact): void {
    if (typeof update !== 'object' || update === null) throw new TypeError('setContact: give { name?, email?, fields? }')
    const { name, email, fields } = update
    if (name !== undefined && typeof name !== 'string') throw new TypeError('setContact: name must be a string')
    if (email !== undefined && (typeof email !== 'string' || (email.trim() !== '' && !isEmailAddress(email.trim())))) {
      throw new ChatError('bad_request', `email: "${String(email)}" is not an e-mail address`)
    }
    const next: VisitorContact = { ...this.$contact.get() }
    if (name !== undefined) next.name = name
    if (email !== undefined) next.email = email.trim()
    if (fields !== undefined) next.fields = { ...next.fields, ...fields }
    this.$contact.set(next)
    writeJson(this.options.storage, this.options.contactKey, next)
  }

  /** What the next handshake carries. */
  get handshakeContact(): VisitorContact | undefined {
    return this.$contact.get()
  }
}

function parseContact(value: unknown): VisitorContact | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const { name, email, fields } = value as Record<string, unknown>
  const contact: VisitorContact = {}
  if (typeof name === 'string') contact.name = name
  if (typeof email === 'string') contact.email = email
  if (typeof fields === 'object' && fields !== null && !Array.isArray(fields)) {
    contact.fields = Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
  }
  return contact
}
