/**
 * Two server nodes on one PostgreSQL database, with Redis for presence and fan-out, behind a
 * round-robin balancer: the visitor on node A, the agent on node B. Node A is killed with SIGKILL
 * while they exchange messages; the visitor comes back through the balancer to B. Both clients
 * must end with every message exactly once and in order; every message acknowledged before the
 * kill must be in the database with the seq it was given; status, watermarks and the visitor's
 * identity survive.
 */
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { createSqlStore } from '../../src/server/sql'
import { RoundRobinBalancer } from '../scale/round-robin-balancer'
import { expectExactlyOnceInOrder, ownDelivered, sleep, until } from '../support/exchange'
import { usePostgresServer } from '../support/postgres-server'
import { startRedisServer } from '../support/redis-server'
import { AGENT_TOKEN, SECRET, bundleNode, killNode, makeClient, startNode, stopNode } from './nodes'
import { acknowledged, expectStored } from './verify'

const PER_SIDE = 150
const KILL_AFTER = 60

const postgres = usePostgresServer()
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

describe('PostgreSQL: one of two nodes killed with SIGKILL mid-traffic', () => {
  it('keeps every acknowledged message once and in order, the status, the watermarks and the visitor', { timeout: 45_000 }, async () => {
    const database = await postgres.server.createDatabase()
    const redis = await startRedisServer()
    cleanups.push(() => redis.stop())
    const bundle = await bundleNode()
    cleanups.push(bundle.remove)
    const env = { DATABASE: database, REDIS_URL: redis.url, KEY_PREFIX: `crash:${randomUUID()}:`, CHAT_SECRET: SECRET, AGENT_TOKEN }
    // Started one after the other: the first migrates, the second finds the schema current.
    const a = await startNode(bundle.file, env)
    cleanups.push(() => stopNode(a))
    const b = await startNode(bundle.file, env)
    cleanups.push(() => stopNode(b))
    const balancer = new RoundRobinBalancer([a.port, b.port])
    await balancer.listen()
    cleanups.push(() => balancer.close())

    // Round robin: the visitor's connection goes to A, the agent's to B.
    const visitor = makeClient(balancer.url)
    cleanups.push(() => visitor.destroy())
    await until(() => visitor.status.get() === 'connected', 5000, 'the visitor to connect')
    const agent = makeClient(balancer.url, { role: 'agent', token: AGENT_TOKEN })
    cleanups.push(() => agent.destroy())
    await until(() => agent.status.get() === 'connected', 5000, 'the agent to connect')
    expect(balancer.accepted).toEqual([1, 1])
    const visitorId = visitor.user.get()!.id
    const roomId = visitor.conversation.get()!.roomId

    visitor.send('hello')
    // Stored: sent, or already delivered (the agent is online, so its inbox receives it at once).
    await until(() => ['sent', 'delivered'].includes(visitor.messages.get()[0]?.status ?? ''), 5000, 'the first message to be stored')
    await agent.openConversation(roomId)
    await agent.setConversationStatus('pending')
    agent.markRead()
    await until(() => visitor.messages.get()[0]?.status === 'read', 5000, 'the read receipt across nodes')

    const visitorTexts = ['hello', ...Array.from({ length: PER_SIDE }, (_, i) => `v${i}`)]
    const agentTexts = Array.from({ length: PER_SIDE }, (_, i) => `a${i}`)
    let ackedBeforeKill = new Map<string, number>()
    for (let i = 0; i < PER_SIDE; i++) {
      visitor.send(visitorTexts[i + 1]!)
      agent.send(agentTexts[i]!)
      if (i === KILL_AFTER) {
        // Mid-traffic, with a good part of what was sent acknowledged (a loaded machine acks late).
        await until(() => acknowledged(visitor).size + acknowledged(agent).size > KILL_AFTER / 2, 5000, 'acks before the kill')
        await killNode(a)
        ackedBeforeKill = new Map([...acknowledged(visitor), ...acknowledged(agent)])
      }
      await sleep(Math.random() * 6)
    }
    const total = visitorTexts.length + agentTexts.length
    const settled = (side: typeof visitor) => side.messages.get().length === total && side.messages.get().every((m) => m.seq !== undefined)
    await until(() => settled(visitor) && settled(agent) && ownDelivered(visitor) && ownDelivered(agent), 20_000, 'every message on both sides, delivered')

    expectExactlyOnceInOrder(visitor, agent, visitorTexts, agentTexts)
    expect(ackedBeforeKill.size).toBeGreaterThan(KILL_AFTER / 2)
    expect(balancer.accepted[1]).toBeGreaterThanOrEqual(2) // the visitor came back on B
    expect(visitor.user.get()?.id).toBe(visitorId)
    expect(visitor.conversation.get()?.roomId).toBe(roomId)
    await until(() => visitor.conversation.get()?.status === 'pending', 5000, 'the status on the visitor')

    const store = await createSqlStore(database)
    cleanups.push(() => store.close())
    await expectStored(store, roomId, { total, visitorTexts, agentTexts, ackedBeforeKill, status: 'pending', agentReadAtLeast: 1 })
    expect((await store.findVisitorConversation(visitorId))?.roomId).toBe(roomId)
  })
})
