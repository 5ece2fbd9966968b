import { describe, expect, it } from 'vitest'
import { createChatServer } from '../../src/server'
import { captureLogs } from '../support/log-capture'
import { AGENT_AUTH, request, useHarness, VISITOR_AUTH } from './helpers'

const harness = useHarness()

describe('safe defaults', () => {
  it('lets no agent in unless the owner said how, and says so at startup', async () => {
    const logger = captureLogs()
    const server = await createChatServer({ host: '127.0.0.1', logger })
    try {
      // The token that used to be the default is nothing special now.
      const refused = await harness.refused(server, { ...AGENT_AUTH, token: 'demo-agent' })
      expect(refused.data).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/accepts no agents/) })
      expect(logger.messages('info').some((m) => m.includes(`listening on ${server.url}`))).toBe(true)
      const warnings = logger.messages('warn')
      expect(warnings).toContainEqual(expect.stringMatching(/no agent can connect/))
      expect(warnings).toContainEqual(expect.stringMatching(/kept in memory: nothing survives a restart/))
      expect(warnings).toContainEqual(expect.stringMatching(/no secret set/))
    } finally {
      await server.close()
    }
  })

  it('warns about every origin being allowed and about a shared development token', async () => {
    const logger = captureLogs()
    const server = await createChatServer({ host: '127.0.0.1', logger, allowedOrigins: '*', agentToken: 'dev-token', secret: 'a-long-enough-secret' })
    try {
      const warnings = logger.messages('warn')
      expect(warnings).toContainEqual(expect.stringMatching(/allowedOrigins is '\*'/))
      expect(warnings).toContainEqual(expect.stringMatching(/one shared agentToken/))
      expect(warnings).not.toContainEqual(expect.stringMatching(/no secret set/))
    } finally {
      await server.close()
    }
  })

  it('logs an unexpected error with its context, tells onError and answers internal', async () => {
    const logger = captureLogs()
    const seen: Record<string, unknown>[] = []
    const server = await harness.start({ logger, onError: (_error, context) => seen.push(context) })
    const visitor = await harness.visitor(server)
    server.store.getMessages = async () => {
      throw new Error('disk on fire')
    }
    expect(await request(visitor.socket, 'get_history', { roomId: visitor.roomId })).toEqual({ ok: false, error: { code: 'internal', message: 'Internal server error' } })
    const logged = logger.lines.find((line) => line.level === 'error')
    expect(logged?.context).toMatchObject({ event: 'get_history', user: visitor.session.user.id, err: new Error('disk on fire') })
    expect(seen).toEqual([expect.objectContaining({ event: 'get_history', socket: expect.any(String) })])
  })
})

describe('handshake input', () => {
  it('makes a visitor with a malformed userHash anonymous with identityError, as a wrong one', async () => {
    const server = await harness.start({ identitySecret: 'site-backend-secret' })
    for (const userHash of ['not-hex', 'abc', 'g'.repeat(64)]) {
      const { session } = await harness.connect(server, { ...VISITOR_AUTH, identity: { userId: 'u1', userHash } })
      expect(session.user.id.startsWith('user:')).toBe(false)
      expect(session.identityError).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/64 hex digits/) })
    }
  })

  it('cleans display names and never lets a visitor pass for staff', async () => {
    const server = await harness.start()
    const nameOf = async (name: string) => (await harness.connect(server, { ...VISITOR_AUTH, name })).session.user.name
    expect(await nameOf('  Sari \n  Dewi\t')).toBe('Sari Dewi')
    expect(await nameOf('Sari\u0000\u202E')).toBe('Sari')
    expect(await nameOf('evil\u202Egnp.exe')).toBe('evilgnp.exe')
    expect(await nameOf('x'.repeat(150))).toBe('x'.repeat(80))
    expect(await nameOf('Agent')).toBeUndefined()
    expect(await nameOf(' support ')).toBeUndefined()
    expect(await nameOf('\u200B\u200B')).toBeUndefined()
    expect(await nameOf('👩‍💻 Rina')).toBe('👩‍💻 Rina')
  })

  it('refuses text with nothing visible in it, whatever the invisible characters are', async () => {
    const server = await harness.start()
    const visitor = await harness.visitor(server)
    for (const text of [' ', '\n\t', '\u200B', '\u200B\u2060\uFEFF', '\u00A0\u3000', '\u202E']) {
      const ack = await request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: `c${text.charCodeAt(0)}${text.length}`, text })
      expect(ack, JSON.stringify(text)).toMatchObject({ ok: false, error: { code: 'bad_request', message: 'Message text is empty' } })
    }
    const lone = await request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: 'lone', text: 'a\uD800b' })
    expect(lone).toMatchObject({ ok: false, error: { code: 'bad_request' } })
    expect(await request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: 'ok', text: '\u200Bhi' })).toMatchObject({ ok: true })
  })
})
