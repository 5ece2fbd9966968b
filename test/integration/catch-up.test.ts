/**
 * Edits and deletes made while a client was away reach it: catch-up after a reconnect covers
 * changes (by the room's change numbers), not only new messages. Against the reference server,
 * through a clean absence and through random connection cuts.
 */
import { describe, expect, it } from 'vitest'
import type { ChatClient } from '../../src'
import { manualEnvironment } from '../../src/core/util/environment'
import { ChaosProxy, seededRandom } from '../support/chaos-proxy'
import { sleep } from '../support/exchange'
import { connected, eventually, startAgent, startClient, startServer, startedRoom } from '../support/harness'

const CHANGES = 25
const SEED = Number(process.env.FAULT_SEED ?? Date.now() % 1_000_000)

/** What a reader sees of each message: its text, or that it was deleted. */
const seen = (client: ChatClient) => client.messages.get().map((m) => (m.deleted ? `(deleted ${m.seq})` : `${m.seq}: ${m.text}${m.editedAt ? ' (edited)' : ''}`))

describe('catching up on changes', () => {
  it('shows edits and deletes made while the visitor was offline', async () => {
    const server = await startServer()
    const environment = manualEnvironment()
    const visitor = startClient({ url: server.url, environment })
    const agent = startAgent({ url: server.url })
    await connected(visitor, agent)
    await agent.openConversation(await startedRoom(server, visitor))
    for (let i = 1; i <= 4; i++) agent.send(`reply ${i}`)
    await eventually(() => expect(visitor.messages.get()).toHaveLength(4))
    const ids = agent.messages.get().map((m) => m.id!)

    environment.setOnline(false)
    await agent.edit(ids[0]!, 'reply 1, corrected')
    await agent.remove(ids[1]!)
    await agent.edit(ids[2]!, 'reply 3, first fix')
    await agent.edit(ids[2]!, 'reply 3, second fix')
    expect(seen(visitor)).toEqual(['1: reply 1', '2: reply 2', '3: reply 3', '4: reply 4'])

    environment.setOnline(true)
    await eventually(() => expect(seen(visitor)).toEqual(['1: reply 1, corrected (edited)', '(deleted 2)', '3: reply 3, second fix (edited)', '4: reply 4']))
    expect(seen(visitor)).toEqual(seen(agent))
  })

  it('ends with every edit and delete an agent made while the visitor’s connection kept being cut', { timeout: 60_000 }, async () => {
    const random = seededRandom(SEED)
    const server = await startServer()
    const proxy = new ChaosProxy(server.port)
    await proxy.listen()
    const visitor = startClient({ url: proxy.url, backoff: { minMs: 10, maxMs: 200 }, ackTimeoutMs: 2000 })
    const agent = startAgent({ url: server.url })
    try {
      await connected(visitor, agent)
      await agent.openConversation(await startedRoom(server, visitor))
      for (let i = 1; i <= 12; i++) agent.send(`line ${i}`)
      await eventually(() => expect(agent.messages.get().every((m) => m.seq !== undefined)).toBe(true))
      const ids = agent.messages.get().map((m) => m.id!)

      let cutting = true
      const cuts = (async () => {
        while (cutting) {
          await sleep(20 + random() * 120)
          proxy.cutAll()
        }
      })()
      // Changes paced like a person correcting (and within the default rate limit), some of them
      // edits of messages already deleted, which the server refuses.
      for (let change = 0; change < CHANGES; change++) {
        const id = ids[Math.floor(random() * ids.length)]!
        const del = random() < 0.15
        await (del ? agent.remove(id) : agent.edit(id, `edit ${change}`)).catch((error: Error) => expect(error.message).toMatch(/cannot be edited/))
        await sleep(100 + random() * 100)
      }
      cutting = false
      await cuts
      await connected(visitor)
      await eventually(() => expect(seen(visitor)).toEqual(seen(agent)), 10_000)
      expect(seen(agent).some((line) => line.includes('(edited)'))).toBe(true)
      console.log(`catch-up through cuts: ${CHANGES} changes, ${proxy.cuts} cuts, seed ${SEED}`)
    } finally {
      await proxy.close()
    }
  })
})
