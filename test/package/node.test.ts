/**
 * Node users of the installed tarball: a Node ESM server (server and clients exchange messages
 * over a real socket; asking for Redis without the optional packages says what to install), and
 * server rendering: every browser entry imported where there is no DOM, React and Vue rendered to
 * strings through obrolan/react and obrolan/vue. The CommonJS script is in types.test.ts (it is
 * compiled from TypeScript first).
 */
import { describe, expect, inject, it } from 'vitest'
import { runNodeJson } from './support/run'

const suite = inject('packageSuite')

describe('Node', () => {
  it('an ESM server and its clients exchange messages; Redis without its packages says what to install', async () => {
    const found = await runNodeJson<{
      visitorSees: [string, string][]
      agentSees: [string, string][]
      userHash: string
      redisOption: string
      redisStore: string
    }>('server.mjs', suite.app)
    const conversation = [
      ['visitor', 'Halo, kopinya ada?'],
      ['agent', 'Ada, mau berapa?'],
    ]
    expect(found.visitorSees).toEqual(conversation)
    expect(found.agentSees).toEqual(conversation)
    expect(found.userHash).toMatch(/^[0-9a-f]{64}$/)
    expect(found.redisOption).toMatch(/npm install ioredis @socket\.io\/redis-adapter/)
    expect(found.redisStore).toMatch(/npm install ioredis/)
  })

  it('server rendering imports every browser entry without a DOM', async () => {
    const found = await runNodeJson<{
      globals: Record<string, string>
      exports: Record<string, string[]>
      clientStatus: string
      mountError: string
    }>('ssr.mjs', suite.app)
    expect(found.globals).toEqual({ window: 'undefined', document: 'undefined', HTMLElement: 'undefined', customElements: 'undefined' })
    expect(found.exports.obrolan).toEqual(['ChatError', 'MAX_TEXT_LENGTH', 'PROTOCOL_VERSION', 'createChatClient', 'memoryStorage', 'shareTabs'])
    expect(found.exports['obrolan/widget']).toEqual(['mountWidget'])
    expect(found.exports['obrolan/element']).toEqual(['OBROLAN_CHAT_TAG', 'ObrolanChatElement'])
    // The script files export nothing; importing them on a server must just not throw.
    expect(found.exports['obrolan/obrolan.iife.js']).toEqual([])
    expect(found.exports['obrolan/obrolan.chat.js']).toEqual([])
    // The UMD file from ESM: Node sees its named exports, not only `default`.
    expect(found.exports['obrolan/obrolan.umd.js']).toEqual(expect.arrayContaining(['createChatClient', 'mountWidget', 'default']))
    expect(found.clientStatus).toBe('disconnected')
    expect(found.mountError).toMatch(/needs a DOM/)
  })

  it('React and Vue render obrolan/react and obrolan/vue to strings on the server', async () => {
    const found = await runNodeJson<{ react: string; vue: string; document: string }>('ssr.mjs', suite.frameworks)
    expect(found.document).toBe('undefined')
    expect(found.react).toBe('<p>disconnected: 0 messages</p>')
    expect(found.vue).toBe('<p>disconnected: 0 messages</p>')
  })
})
