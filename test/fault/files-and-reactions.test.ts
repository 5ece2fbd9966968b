/**
 * Files and reactions under fire: a visitor sends files and text, an agent answers and both react
 * to each other's messages, through a proxy that keeps cutting every connection (the socket and
 * the HTTP uploads alike) and through one server restart, against the server's default rate
 * limits. The file store is slow to answer, so cuts land between storing a file and answering its
 * upload, and the client sends it again.
 *
 * At the end: every message once, in send order, on both sides; every file stored once (one
 * stored copy per file, with its exact bytes, however many times it went up); every reaction as
 * its user last chose, once per user and emoji, in the store and on both screens.
 * Seeded: FAULT_SEED=<seed> replays the same schedule.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createChatClient, memoryStorage, type ChatClient, type ChatClientOptions } from '../../src'
import { manualEnvironment } from '../../src/core/util/environment'
import { createChatServer, createMemoryStore, type ChatServer, type FileStore } from '../../src/server'
import { createMemoryFileStore } from '../../src/server/files/memory-file-store'
import { ChaosProxy, seededRandom } from '../support/chaos-proxy'
import { ownDelivered, sleep, until } from '../support/exchange'
import { asFile, png } from '../support/sample-files'

const AGENT_TOKEN = 'fault-agent'
const SECRET = 'fault-secret'
const FILES = 10
const SEED = Number(process.env.FAULT_SEED ?? Date.now() % 1_000_000)

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

function makeClient(url: string, options: Partial<ChatClientOptions> = {}): ChatClient {
  return createChatClient({
    url,
    storage: memoryStorage(),
    environment: manualEnvironment(),
    backoff: { minMs: 20, maxMs: 400 },
    ackTimeoutMs: 3000,
    socket: { transports: ['websocket'] },
    ...options,
  })
}

/** A file store that answers late (after storing), and counts what it stored and what it was sent again. */
function slowFileStore(random: () => number) {
  const inner = createMemoryFileStore()
  const counts = { created: 0, repeated: 0 }
  const store: FileStore = {
    ...inner,
    async put(file, bytes) {
      const result = await inner.put(file, bytes)
      if (result.created) counts.created++
      else counts.repeated++
      await sleep(20 + random() * 120)
      return result
    },
  }
  return { store, inner, counts }
}

const untilSeeded = (condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string) => until(condition, timeoutMs, `${what} (seed ${SEED})`)

describe('files and reactions through connection cuts', () => {
  it(`sends ${FILES} files, text and reactions through cuts and a restart: each file stored once, each message once, each reaction as last chosen`, { timeout: 180_000 }, async () => {
    const random = seededRandom(SEED)
    const store = createMemoryStore()
    const files = slowFileStore(random)
    const options = { host: '127.0.0.1', store, secret: SECRET, agentToken: AGENT_TOKEN, uploads: { store: files.store } }
    let server: ChatServer = await createChatServer(options)
    const port = server.port
    cleanups.push(() => server.close())
    const proxy = new ChaosProxy(port)
    await proxy.listen()
    cleanups.push(() => proxy.close())
    const visitor = makeClient(proxy.url)
    const agent = makeClient(proxy.url, { role: 'agent', token: AGENT_TOKEN })
    cleanups.push(() => visitor.destroy(), () => agent.destroy())
    await untilSeeded(() => visitor.status.get() === 'connected' && agent.status.get() === 'connected', 5000, 'first connection')
    const roomId = visitor.conversation.get()!.roomId
    await store.openVisitorConversation(visitor.user.get()!, roomId, Date.now())
    await agent.openConversation(roomId)

    const started = Date.now()
    let chaos = true
    let restarted = false
    const chaosLoop = (async () => {
      while (chaos) {
        await sleep(30 + random() * 200)
        if (!chaos) break
        proxy.cutAll()
        if (!restarted && Date.now() - started > 1500) {
          restarted = true
          await server.close()
          await sleep(100)
          server = await createChatServer({ ...options, port })
        }
      }
    })()

    // Sizeable, poorly compressible images, so that cuts land mid-upload too.
    const images = Array.from({ length: FILES }, (_, i) => png(500 + i * 7, 400, [i * 20, 90, 160], 255))
    const labelsOf = (client: ChatClient, role: 'visitor' | 'agent') =>
      client.messages
        .get()
        .filter((m) => m.author.role === role)
        .map((m) => m.attachment?.name ?? m.text)
    const visitorLabels: string[] = []
    const agentTexts: string[] = []
    /** The reactions each side chose last: message clientId → emoji → on. */
    const chosen = { visitor: new Map<string, Map<string, boolean>>(), agent: new Map<string, Map<string, boolean>>() }
    const react = (side: ChatClient, who: 'visitor' | 'agent') => {
      const others = side.messages.get().filter((m) => !m.own && m.id !== undefined)
      const target = others[Math.floor(random() * others.length)]
      if (!target) return
      const emoji = ['👍', '❤️', '🙏'][Math.floor(random() * 3)]!
      const on = random() < 0.7
      side.react(target.id!, emoji, on)
      const byMessage = chosen[who].get(target.clientId) ?? new Map<string, boolean>()
      byMessage.set(emoji, on)
      chosen[who].set(target.clientId, byMessage)
    }
    for (let i = 0; i < FILES; i++) {
      const name = `foto-${i}.png`
      visitor.sendFile(asFile(images[i]!, name, 'image/png'))
      visitor.send(`v${i}`)
      visitorLabels.push(name, `v${i}`)
      agent.send(`a${i}`)
      agentTexts.push(`a${i}`)
      for (let r = 0; r < 3; r++) {
        react(visitor, 'visitor')
        react(agent, 'agent')
      }
      await sleep(100 + random() * 150)
    }

    const total = FILES * 3
    const settled = (c: ChatClient) => c.messages.get().length === total && c.messages.get().every((m) => m.seq !== undefined)
    await untilSeeded(() => settled(visitor) && settled(agent), 120_000, 'every message on both sides')
    chaos = false
    await chaosLoop
    await untilSeeded(() => ownDelivered(visitor) && ownDelivered(agent), 20_000, 'delivered ticks')

    // Each message once, in server order, each side's in the order it was sent.
    for (const side of [visitor, agent]) {
      const list = side.messages.get()
      expect(list.map((m) => m.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1))
      expect(new Set(list.map((m) => m.clientId)).size).toBe(total)
      expect(labelsOf(side, 'visitor')).toEqual(visitorLabels)
      expect(labelsOf(side, 'agent')).toEqual(agentTexts)
    }
    expect(agent.messages.get().map((m) => m.id)).toEqual(visitor.messages.get().map((m) => m.id))

    // Each file stored once, whole.
    const fileMessages = agent.messages.get().filter((m) => m.attachment)
    expect(fileMessages).toHaveLength(FILES)
    expect(files.counts.created).toBe(FILES)
    for (const [i, message] of fileMessages.entries()) {
      expect(message.attachment).toMatchObject({ name: `foto-${i}.png`, type: 'image/png', size: images[i]!.length, width: 500 + i * 7, height: 400 })
      const bytes = Buffer.from(await (await agent.readFile(message)).arrayBuffer())
      expect(bytes.equals(images[i]!), `file ${i}`).toBe(true)
    }

    // Each reaction as its user last chose, once, in the store and on both screens.
    const userOf = { visitor: visitor.user.get()!.id, agent: agent.user.get()!.id }
    await untilSeeded(
      async () => {
        const stored = (await store.getMessages(roomId, { afterSeq: 0, limit: 200 })).messages
        return (['visitor', 'agent'] as const).every((who) =>
          [...chosen[who]].every(([clientId, emojis]) => {
            const message = stored.find((m) => m.clientId === clientId)
            return [...emojis].every(([emoji, on]) => (message?.reactions?.find((r) => r.emoji === emoji)?.by.includes(userOf[who]) ?? false) === on)
          }),
        )
      },
      30_000,
      'every reaction stored as last chosen',
    )
    const stored = (await store.getMessages(roomId, { afterSeq: 0, limit: 200 })).messages
    for (const message of stored) for (const reaction of message.reactions ?? []) expect(new Set(reaction.by).size).toBe(reaction.by.length)
    const reactionsOf = (client: ChatClient) => client.messages.get().map((m) => m.reactions ?? [])
    await untilSeeded(
      () => JSON.stringify(reactionsOf(visitor)) === JSON.stringify(stored.map((m) => m.reactions ?? [])) && JSON.stringify(reactionsOf(agent)) === JSON.stringify(stored.map((m) => m.reactions ?? [])),
      20_000,
      'both screens show the stored reactions',
    )
    expect(restarted).toBe(true)
    expect(proxy.cuts).toBeGreaterThan(3)
    console.log(
      `files and reactions (seed ${SEED}): ${FILES} files (${files.counts.created} stored, ${files.counts.repeated} uploads answered with the stored copy), ` +
        `${total} messages, ${[...chosen.visitor.values(), ...chosen.agent.values()].reduce((n, m) => n + m.size, 0)} reactions chosen, ` +
        `${proxy.cuts} cuts, 1 restart, ${Date.now() - started} ms`,
    )
  })
})
