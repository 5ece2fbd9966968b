/**
 * E-mailing an agent's reply to a visitor who left: through a real SMTP server started here
 * (`smtp-server`), each received e-mail parsed as a mail client would (`mailparser`). The reply
 * arrives once, with the right words, and never while the visitor is there or has read it.
 */
import type { AddressInfo } from 'node:net'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChatServer } from '../../src/server'
import { AGENT_AUTH, request, sleep, useHarness, VISITOR_AUTH, type Client } from './helpers'

const harness = useHarness()
const AFTER_MS = 300

interface Smtp {
  url: string
  mails: ParsedMail[]
  /** Refuse every message from now on (the relay is down). */
  refuse: boolean
  close(): Promise<void>
}

const closing: (() => Promise<void>)[] = []
afterEach(async () => {
  while (closing.length) await closing.pop()!()
})

async function startSmtp(): Promise<Smtp> {
  const mails: ParsedMail[] = []
  const smtp: Smtp = { url: '', mails, refuse: false, close: async () => {} }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, done) {
      simpleParser(stream).then(
        (mail) => {
          if (smtp.refuse) return done(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }))
          mails.push(mail)
          done()
        },
        (error: Error) => done(error),
      )
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  smtp.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`
  smtp.close = () => new Promise((resolve) => server.close(() => resolve()))
  closing.push(smtp.close)
  return smtp
}

async function startWithEmail(smtp: Smtp, extra: Parameters<typeof harness.start>[0] = {}): Promise<ChatServer> {
  return harness.start({
    email: { smtp: smtp.url, from: 'Toko Kopi <help@toko.example>', afterMinutes: AFTER_MS / 60_000, siteName: 'Toko Kopi', siteUrl: 'https://toko.example' },
    ...extra,
  })
}

/** A visitor on a product page who left an address and wrote first, in its joined room. */
async function visitorWithAddress(server: ChatServer, email = 'ani@pembeli.example'): Promise<Client & { roomId: string }> {
  const visitor = await harness.connect(server, { ...VISITOR_AUTH, context: { page: { url: 'https://toko.example/kopi/toraja', at: 1 }, locale: 'en-GB' } })
  const roomId = visitor.session.roomId!
  await request(visitor.socket, 'join_room', { roomId })
  await request(visitor.socket, 'update_contact', { roomId, contact: { name: 'Ani', email } })
  await request(visitor.socket, 'send_message', { roomId, clientId: 'v1', text: 'Is the Toraja roast in stock?' })
  return { ...visitor, roomId }
}

async function agentIn(server: ChatServer, roomId: string): Promise<Client> {
  const agent = await harness.connect(server, { ...AGENT_AUTH })
  await request(agent.socket, 'join_room', { roomId })
  return agent
}

describe('following up by e-mail', () => {
  it('e-mails an unread reply to a visitor who left, once, with the conversation and a link back', async () => {
    const smtp = await startSmtp()
    const server = await startWithEmail(smtp)
    const visitor = await visitorWithAddress(server)
    const agent = await agentIn(server, visitor.roomId)
    visitor.socket.disconnect()
    await request(agent.socket, 'send_message', { roomId: visitor.roomId, clientId: 'a1', text: 'Yes! 250 g bags ship today.\nAnything else?' })
    await expect.poll(() => smtp.mails.length, { timeout: 3000 }).toBe(1)
    const [mail] = smtp.mails
    expect(mail!.to && 'text' in mail!.to ? mail!.to.text : '').toBe('ani@pembeli.example')
    expect(mail!.from?.value).toEqual([{ name: 'Toko Kopi', address: 'help@toko.example' }])
    expect(mail!.subject).toBe('New reply from Toko Kopi')
    expect(mail!.text).toBe(
      [
        'Hello Ani,',
        '',
        'You have a new reply in your conversation with Toko Kopi:',
        '',
        'You: Is the Toraja roast in stock?',
        'Agent: Yes! 250 g bags ship today.',
        '  Anything else?',
        '',
        'Continue the conversation:',
        'https://toko.example/kopi/toraja',
        '',
        'Please answer in the chat; answers to this e-mail are not read.',
        '',
        '--',
        'You get this e-mail because you left your address in the chat.',
        '',
      ].join('\n'),
    )
    // Looked at again later, and by a second reply's timer: still one e-mail for that reply.
    await sleep(AFTER_MS * 3)
    expect(smtp.mails).toHaveLength(1)
    // A new reply is news: one more e-mail, with it.
    await request(agent.socket, 'send_message', { roomId: visitor.roomId, clientId: 'a2', text: 'We also have Gayo.' })
    await expect.poll(() => smtp.mails.length, { timeout: 3000 }).toBe(2)
    expect(smtp.mails[1]!.text).toContain('Agent: We also have Gayo.')
    await sleep(AFTER_MS * 2)
    expect(smtp.mails).toHaveLength(2)
  })

  it('sends nothing while the visitor is there, nor after the visitor read the reply and left', async () => {
    const smtp = await startSmtp()
    const server = await startWithEmail(smtp)
    const visitor = await visitorWithAddress(server)
    const agent = await agentIn(server, visitor.roomId)
    const sent = await request(agent.socket, 'send_message', { roomId: visitor.roomId, clientId: 'a1', text: 'Yes, in stock.' })
    await sleep(AFTER_MS * 3)
    expect(smtp.mails).toEqual([])
    await request(visitor.socket, 'mark_read', { roomId: visitor.roomId, upToSeq: sent.ok ? sent.message.seq : 0 })
    visitor.socket.disconnect()
    await sleep(AFTER_MS * 3)
    expect(smtp.mails).toEqual([])
  })

  it('waits the whole time after a visitor who was there leaves without reading', async () => {
    const smtp = await startSmtp()
    const server = await startWithEmail(smtp)
    const visitor = await visitorWithAddress(server)
    const agent = await agentIn(server, visitor.roomId)
    await request(agent.socket, 'send_message', { roomId: visitor.roomId, clientId: 'a1', text: 'Yes, in stock.' })
    await sleep(AFTER_MS * 2)
    const left = Date.now()
    visitor.socket.disconnect()
    await expect.poll(() => smtp.mails.length, { timeout: 3000, interval: 20 }).toBe(1)
    expect(Date.now() - left).toBeGreaterThanOrEqual(AFTER_MS - 20)
    expect(smtp.mails[0]!.text).toContain('Agent: Yes, in stock.')
  })

  it('e-mails an identified visitor’s address, in Indonesian for an Indonesian browser; nobody without an address', async () => {
    const smtp = await startSmtp()
    const server = await startWithEmail(smtp)
    const anonymous = await harness.connect(server, VISITOR_AUTH)
    await request(anonymous.socket, 'send_message', { roomId: anonymous.session.roomId!, clientId: 'v1', text: 'Halo' })
    const indonesian = await harness.connect(server, { ...VISITOR_AUTH, context: { locale: 'id-ID' } })
    const roomId = indonesian.session.roomId!
    await request(indonesian.socket, 'update_contact', { roomId, contact: { email: 'budi@pembeli.example' } })
    await request(indonesian.socket, 'send_message', { roomId, clientId: 'v1', text: 'Ada kopi Gayo?' })
    anonymous.socket.disconnect()
    indonesian.socket.disconnect()
    const agent = await harness.connect(server, { ...AGENT_AUTH })
    await request(agent.socket, 'send_message', { roomId: anonymous.session.roomId!, clientId: 'a1', text: 'Halo juga' })
    await request(agent.socket, 'send_message', { roomId, clientId: 'a1', text: 'Ada, 200 g.' })
    await expect.poll(() => smtp.mails.length, { timeout: 3000 }).toBe(1)
    await sleep(AFTER_MS * 2)
    expect(smtp.mails).toHaveLength(1)
    expect(smtp.mails[0]!.subject).toBe('Balasan baru dari Toko Kopi')
    expect(smtp.mails[0]!.text).toContain('Halo,\n\nAda balasan baru dalam obrolan Anda dengan Toko Kopi:\n\nAnda: Ada kopi Gayo?\nAgent: Ada, 200 g.')
    // Without a page, the link is the site's.
    expect(smtp.mails[0]!.text).toContain('Lanjutkan obrolan:\nhttps://toko.example\n')
  })

  it('reports a relay that refuses, and carries on', async () => {
    const smtp = await startSmtp()
    smtp.refuse = true
    const errors: Record<string, unknown>[] = []
    const server = await startWithEmail(smtp, { onError: (_error, context) => errors.push(context) })
    const visitor = await visitorWithAddress(server)
    visitor.socket.disconnect()
    const agent = await harness.connect(server, { ...AGENT_AUTH })
    await request(agent.socket, 'send_message', { roomId: visitor.roomId, clientId: 'a1', text: 'Yes' })
    await expect.poll(() => errors, { timeout: 3000 }).toEqual([{ task: 'follow-up e-mail', roomId: visitor.roomId }])
    expect(await request(agent.socket, 'list_conversations', {})).toMatchObject({ ok: true })
  })
})
