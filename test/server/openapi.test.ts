/**
 * The OpenAPI document against the server that serves it: every operation it lists is called on
 * a live server, and every answer (successes and refusals) must pass the JSON Schema the document
 * gives for that status. An operation added without an example here fails the suite.
 */
import { Validator } from '@cfworker/json-schema'
import { describe, expect, it } from 'vitest'
import type { WireMessage } from '../../src/protocol'
import { request, useHarness } from './helpers'
import { api, apiKey, ownerOf } from './owner-browser'

const harness = useHarness()

interface Doc {
  openapi: string
  servers: { url: string }[]
  components: { schemas: Record<string, object> }
  paths: Record<string, Record<string, { operationId: string; 'x-scope': string; responses: Record<string, { content: { 'application/json': { schema: object } } }> }>>
}

describe('the OpenAPI document', () => {
  it('is served without a key and describes every operation as the server answers it', async () => {
    const server = await harness.start({ accounts: true, publicUrl: 'https://chat.toko.example' })
    const owner = await ownerOf(server, 'https://chat.toko.example')
    const call = api(server, await apiKey(owner))
    const visitor = await harness.visitor(server)
    await request(visitor.socket, 'send_message', { roomId: visitor.roomId, clientId: 'v1', text: 'Halo' })
    const posted = await call<{ message: WireMessage }>('POST', `/conversations/${visitor.roomId}/messages`, { text: 'Selamat pagi', bot: 'Bot' })
    const agents = await call<{ agents: { id: string }[] }>('GET', '/agents')

    const res = await fetch(`${server.url}/api/v1/openapi.json`)
    expect(res.status).toBe(200)
    const doc = (await res.json()) as Doc
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.servers).toEqual([{ url: 'https://chat.toko.example/api/v1' }])

    const examples: Record<string, { query?: string; body?: unknown }> = {
      listConversations: { query: '?status=open&limit=10' },
      getConversation: {},
      setConversationStatus: { body: { status: 'pending' } },
      assignConversation: { body: { agentId: agents.body.data!.agents[0]!.id } },
      listActiveSessions: {},
      listAgents: {},
      listMessages: { query: '?afterSeq=0' },
      postMessage: { body: { text: 'Dari API', bot: 'Bot' } },
      editMessage: { body: { text: 'Selamat pagi!' } },
      deleteMessage: {},
    }
    const listed = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((operation) => operation.operationId))
    expect(listed.sort()).toEqual(Object.keys(examples).sort())

    const validate = (schema: object, value: unknown): string[] => {
      const result = new Validator({ ...schema, components: doc.components } as never, '2020-12', false).validate(value)
      return result.errors.map((e) => `${e.instanceLocation}: ${e.error}`)
    }
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const example = examples[operation.operationId]!
        const url = path.replace('{roomId}', visitor.roomId).replace('{messageId}', posted.body.data!.message.id) + (example.query ?? '')
        const reply = await call(method.toUpperCase(), url, example.body)
        const documented = operation.responses[String(reply.status)]
        expect(documented, `${method} ${path} answered ${reply.status}: ${JSON.stringify(reply.body)}`).toBeDefined()
        expect(reply.status, `${method} ${path}`).toBeLessThan(300)
        const schema = documented!.content['application/json'].schema
        expect(validate(schema, reply.body), `${method} ${path}`).toEqual([])
        // A documented refusal, in the shape the document gives it.
        const refused = await api(server, undefined)(method.toUpperCase(), url, example.body)
        expect(refused.status).toBe(401)
        expect(validate(operation.responses['401']!.content['application/json'].schema, refused.body)).toEqual([])
        expect(operation['x-scope']).toBe(method === 'get' ? 'read' : 'write')
      }
    }
    // The document's schemas are strict enough to catch a wrong shape.
    const conversationSchema = doc.paths['/conversations/{roomId}']!.get!.responses['200']!.content['application/json'].schema
    expect(validate(conversationSchema, { success: true, message: 'ok', data: { conversation: { roomId: 'r' } } })).not.toEqual([])
  })
})
