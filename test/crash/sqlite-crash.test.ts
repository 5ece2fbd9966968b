/**
 * The server on a SQLite file, killed with SIGKILL while a visitor and an agent exchange messages,
 * then started again on the same file and port. Both clients must end with every message exactly
 * once and in order; every message acknowledged before the kill must be in the file with the seq
 * it was given; the conversation keeps its status and watermarks; the returning visitor keeps its
 * identity and its conversation (the secret is set, as a product deployment sets it).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createSqlStore } from '../../src/server/sql'
import { expectExactlyOnceInOrder, ownDelivered, sleep, until } from '../support/exchange'
import { AGENT_TOKEN, SECRET, bundleNode, killNode, makeClient, startNode, stopNode, type NodeProcess } from './nodes'
import { acknowledged, expectStored } from './verify'

const PER_SIDE = 150
const KILL_AFTER = 60

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

describe('SQLite: the server killed with SIGKILL mid-traffic', () => {
  it('keeps every acknowledged message once and in order, the status, the watermarks and the visitor', { timeout: 40_000 }, async () => {
    const folder = await mkdtemp(join(tmpdir(), 'obrolan-crash-'))
    cleanups.push(() => rm(folder, { recursive: true, force: true }))
    const database = `sqlite:${join(folder, 'data', 'obrolan.db')}`
    const bundle = await bundleNode()
    cleanups.push(bundle.remove)
    const env = { DATABASE: database, CHAT_SECRET: SECRET, AGENT_TOKEN, PORT: String(await freePort()) }
    let node: NodeProcess = await startNode(bundle.file, env)
    cleanups.push(() => stopNode(node))

    const visitor = makeClient(node.url)
    const agent = makeClient(node.url, { role: 'agent', token: AGENT_TOKEN })
    cleanups.push(() => visitor.destroy(), () => agent.destroy())
    await until(() => visitor.status.get() === 'connected' && agent.status.get() === 'connected', 5000, 'both to connect')
    const visitorId = visitor.user.get()!.id
    const roomId = visitor.conversation.get()!.roomId

    // The first message creates the conversation; the agent opens it, sets its status, reads it.
    visitor.send('hello')
    // Stored: sent, or already delivered (the agent is online, so its inbox receives it at once).
    await until(() => ['sent', 'delivered'].includes(visitor.messages.get()[0]?.status ?? ''), 5000, 'the first message to be stored')
    await agent.openConversation(roomId)
    await agent.setConversationStatus('pending')
    agent.markRead()
    await until(() => visitor.messages.get()[0]?.status === 'read', 5000, 'the read receipt')

    const visitorTexts = ['hello', ...Array.from({ length: PER_SIDE }, (_, i) => `v${i}`)]
    const agentTexts = Array.from({ length: PER_SIDE }, (_, i) => `a${i}`)
    let ackedBeforeKill = new Map<string, number>()
    let restarted: Promise<void> | undefined
    for (let i = 0; i < PER_SIDE; i++) {
      visitor.send(visitorTexts[i + 1]!)
      agent.send(agentTexts[i]!)
      if (i === KILL_AFTER) {
        // Mid-traffic, with a good part of what was sent acknowledged (a loaded machine acks late).
        await until(() => acknowledged(visitor).size + acknowledged(agent).size > KILL_AFTER / 2, 5000, 'acks before the kill')
        await killNode(node)
        ackedBeforeKill = new Map([...acknowledged(visitor), ...acknowledged(agent)])
        restarted = (async () => {
          await sleep(300)
          node = await startNode(bundle.file, env)
        })()
      }
      await sleep(Math.random() * 6)
    }
    await restarted
    const total = visitorTexts.length + agentTexts.length
    const settled = (side: typeof visitor) => side.messages.get().length === total && side.messages.get().every((m) => m.seq !== undefined)
    await until(() => settled(visitor) && settled(agent) && ownDelivered(visitor) && ownDelivered(agent), 20_000, 'every message on both sides, delivered')

    expectExactlyOnceInOrder(visitor, agent, visitorTexts, agentTexts)
    expect(ackedBeforeKill.size).toBeGreaterThan(KILL_AFTER / 2)
    expect(visitor.user.get()?.id).toBe(visitorId)
    expect(visitor.conversation.get()?.roomId).toBe(roomId)
    await until(() => agent.conversation.get()?.status === 'pending', 5000, 'the status on the agent')

    await stopNode(node)
    const store = await createSqlStore(database)
    cleanups.push(() => store.close())
    await expectStored(store, roomId, { total, visitorTexts, agentTexts, ackedBeforeKill, status: 'pending', agentReadAtLeast: 1 })
    expect((await store.findVisitorConversation(visitorId))?.roomId).toBe(roomId)
  })
})

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })
}
