// The receiving side of the latency benchmark, in a process of its own as on a real network:
// the sender's work (its ack, its list) cannot delay the receiver's, nor the other way round.
// `bare` joins a room with a bare socket.io-client socket; `agent` opens a conversation as our
// agent client. Every arrival is reported as `{ event: { clientId, at } }`, `at` on the epoch
// clock (performance.timeOrigin + now), which the parent shares.
import { fileURLToPath } from 'node:url'
import { chatClient, connected, rawSocket, request } from './clients.mjs'
import { AGENT_TOKEN, epochNow, withTimeout } from './common.mjs'
import { serveCommands, startWorker } from './worker.mjs'

/** Starts the receiver process; `onArrival({ clientId, at })` hears every message it gets. */
export function startReceiver(onArrival) {
  return startWorker(fileURLToPath(import.meta.url), { env: { OBROLAN_BENCH_RECEIVER: '1' }, onEvent: onArrival, what: 'receiver' })
}

if (process.env.OBROLAN_BENCH_RECEIVER && process.send) {
  let current
  const report = (clientId) => process.send({ event: { clientId, at: epochNow() } })
  const stop = () => {
    current?.()
    current = undefined
  }
  serveCommands({
    async bare({ url, room }) {
      stop()
      const socket = await rawSocket(url)
      current = () => socket.close()
      socket.on('m', (message) => report(message.clientId))
      await request(socket, 'join', room)
      return {}
    },
    async agent({ url, roomId }) {
      stop()
      const agent = chatClient(url, { role: 'agent', token: AGENT_TOKEN })
      current = () => agent.destroy()
      agent.on('message', (message) => report(message.clientId))
      await connected(agent)
      await withTimeout(agent.openConversation(roomId), 20_000, 'the agent opening the conversation')
      return {}
    },
    stop() {
      stop()
      return {}
    },
    close() {
      stop()
      setImmediate(() => process.exit(0))
      return {}
    },
  })
  process.once('disconnect', () => process.exit(0))
}
