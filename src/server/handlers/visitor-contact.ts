/**
 * What a visitor tells the team about itself (the pre-chat form, the e-mail asked for while
 * nobody can answer), checked and kept with the conversation for agents to see, and used to
 * e-mail replies. A visitor without a conversation yet keeps it on the socket; the first message
 * writes it with the conversation. Each update merges into what is kept: a name or address given
 * replaces the one before, an empty one removes it; answers merge by field.
 */
import { isEmailAddress, normalizeDisplayName, type VisitorContact } from '../../protocol'
import type { ChatSocket, ServerContext } from '../context'
import { ChatError } from '../errors'
import { authorise } from './access'
import type { Handler } from './types'

export const updateContact: Handler<'update_contact'> = async (ctx, socket, req) => {
  if (socket.data.user.role !== 'visitor') throw new ChatError('forbidden', 'Only visitors tell about themselves')
  await authorise(ctx, socket, req.roomId)
  return { contact: await saveContact(ctx, socket, checkedContact(ctx, req.contact, 'strict')) }
}

/**
 * The contact as the server keeps it. `strict` refuses what is wrong with a reason; `lenient`
 * (what a handshake carries, stored by the browser earlier) drops it, so a site that changed its
 * form never locks a returning visitor out.
 */
export function checkedContact(ctx: ServerContext, contact: VisitorContact, mode: 'strict' | 'lenient'): VisitorContact {
  const refuse = (message: string): undefined => {
    if (mode === 'strict') throw new ChatError('bad_request', message)
    return undefined
  }
  const checked: VisitorContact = {}
  if (contact.name !== undefined) {
    const name = contact.name.trim() === '' ? '' : normalizeDisplayName(contact.name, 'visitor')
    if (name === undefined) refuse('name: not a name that can be shown')
    else checked.name = name
  }
  if (contact.email !== undefined) {
    const email = contact.email.trim()
    if (email !== '' && !isEmailAddress(email)) refuse(`email: "${email}" is not an e-mail address`)
    else checked.email = email
  }
  if (contact.fields !== undefined) {
    const known = new Map(ctx.siteSettings.preChatForm?.fields.map((field) => [field.id, field]))
    const fields: Record<string, string> = {}
    for (const [id, raw] of Object.entries(contact.fields)) {
      const field = known.get(id)
      const value = raw.trim()
      if (!field) refuse(`fields.${id}: this site's form has no such field`)
      else if (field.options && value !== '' && !field.options.includes(value)) refuse(`fields.${id}: "${value}" is not one of its choices`)
      else fields[id] = value
    }
    checked.fields = fields
  }
  return checked
}

/** Merges into what is kept (on the socket, and with the conversation once there is one) and returns the result. */
export async function saveContact(ctx: ServerContext, socket: ChatSocket, update: VisitorContact): Promise<VisitorContact> {
  const roomId = socket.data.roomId
  if (roomId === undefined) return (socket.data.contact = merged(socket.data.contact, update))
  return ctx.roomLock.run(roomId, async () => {
    const stored = await ctx.store.getConversation(roomId)
    const contact = merged(stored?.contact ?? socket.data.contact, update)
    socket.data.contact = contact
    if (stored && JSON.stringify(stored.contact ?? {}) !== JSON.stringify(contact)) {
      await ctx.store.setContact(roomId, contact)
      ctx.announcements.soon(roomId)
    }
    return contact
  })
}

function merged(base: VisitorContact | undefined, update: VisitorContact): VisitorContact {
  const result: VisitorContact = { ...base }
  for (const key of ['name', 'email'] as const) {
    const value = update[key]
    if (value === '') delete result[key]
    else if (value !== undefined) result[key] = value
  }
  if (update.fields) {
    const fields = { ...result.fields }
    for (const [id, value] of Object.entries(update.fields)) {
      if (value === '') delete fields[id]
      else fields[id] = value
    }
    if (Object.keys(fields).length > 0) result.fields = fields
    else delete result.fields
  }
  return result
}
