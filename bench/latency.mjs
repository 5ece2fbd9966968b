#!/usr/bin/env node
// Latency over loopback, one message in flight at a time:
//   ack      — send → the sender knows the server has it. Bare: socket.io emit-with-ack to
//              `socket.on('x', (m, ack) => ack(m))`. Ours: client.send() → status 'sent'.
//   delivery — send → the other client has it. Bare: a relay (`socket.to(room).emit`) to a second
//              socket. Ours: client.send() by a visitor → the message in the `messages` store of an
//              agent that opened the conversation (its `message` event).
// Servers run in a child process, the receiving socket or agent in another (as on a network: the
// sender handling its ack does not hold up the receiver); send and arrival are read on the epoch
// clock both processes share. Bare and ours alternate round by round (fresh clients and a fresh
// conversation each round); p50/p99 are over all samples, the ratio is the median of the rounds'
// p50 ratios. Prints one line.
//
//   node bench/latency.mjs [--rounds 10] [--samples 100] [--warmup 100] [--gap 2]
import { chatClient, connected, rawSocket, startedConversation } from './lib/clients.mjs'
import { deferred, epochNow, flags, median, ms, now, percentile, ratio, runBenchmark, sleep, withTimeout } from './lib/common.mjs'
import { startReceiver } from './lib/receiver.mjs'
import { startServerHost } from './lib/servers.mjs'

const args = flags({ rounds: 10, samples: 100, warmup: 100, gap: 2 })
const TEXT = 'Halo, pesanan saya nomor 12345 sudah dikirim belum?'

await runBenchmark(async (onCleanup) => {
  const host = await startServerHost({ bare: true, chat: true })
  onCleanup(() => host.close())
  /** Arrivals at the receiver, by clientId. */
  const arrivals = new Map()
  const receiver = await startReceiver(({ clientId, at }) => arrivals.get(clientId)?.resolve(at))
  onCleanup(() => receiver.close())
  const arrivalOf = (clientId) => {
    const arrived = deferred()
    arrivals.set(clientId, arrived)
    return arrived.promise.finally(() => arrivals.delete(clientId))
  }

  const bare = { ack: [], delivery: [], ackP50: [], deliveryP50: [] }
  const ours = { ack: [], delivery: [], ackP50: [], deliveryP50: [] }
  const record = (into, result) => {
    into.ack.push(...result.ack)
    into.delivery.push(...result.delivery)
    into.ackP50.push(percentile(result.ack, 50))
    into.deliveryP50.push(percentile(result.delivery, 50))
  }

  // Warm both paths up (JIT, first-connection costs) without recording.
  const io = { receiver, arrivalOf }
  await bareRound(host.bareUrl, args.warmup, io)
  await oursRound(host.chatUrl, args.warmup, io)

  for (let round = 0; round < args.rounds; round++) {
    if (round % 2 === 0) {
      record(bare, await bareRound(host.bareUrl, args.samples, io))
      record(ours, await oursRound(host.chatUrl, args.samples, io))
    } else {
      record(ours, await oursRound(host.chatUrl, args.samples, io))
      record(bare, await bareRound(host.bareUrl, args.samples, io))
    }
  }

  const roundRatios = (key) => median(ours[key].map((value, i) => value / bare[key][i]))
  const part = (name, key, bareName) =>
    `${name} p50 ${ms(percentile(ours[key], 50))} ms p99 ${ms(percentile(ours[key], 99))} ms ` +
    `(${bareName} ${ms(percentile(bare[key], 50))}/${ms(percentile(bare[key], 99))}, ratio ${ratio(roundRatios(`${key}P50`))})`
  return (
    `latency: ${part('ack', 'ack', 'bare emit-ack')} | ${part('delivery', 'delivery', 'bare relay')}` +
    ` [${args.rounds}x${args.samples} samples, goal ack ratio <= 1.5x]`
  )
})

async function bareRound(url, samples, { receiver, arrivalOf }) {
  const room = `room-${Math.random().toString(36).slice(2)}`
  const a = await rawSocket(url)
  try {
    await receiver.call('bare', { url, room })
    const ack = []
    const delivery = []
    for (let i = 0; i < samples; i++) {
      const payload = { roomId: room, clientId: `c${i}-${Math.random()}`, text: TEXT }
      const start = now()
      await withTimeout(new Promise((resolve) => a.emit('x', payload, resolve)), 10_000, 'the bare echo')
      ack.push(now() - start)

      const arrived = arrivalOf(payload.clientId)
      const sentAt = epochNow()
      a.emit('relay', room, payload)
      delivery.push((await withTimeout(arrived, 10_000, 'the bare relay')) - sentAt)
      await sleep(args.gap)
    }
    return { ack, delivery }
  } finally {
    a.close()
    await receiver.call('stop')
  }
}

async function oursRound(url, samples, { receiver, arrivalOf }) {
  const visitor = chatClient(url)
  try {
    const roomId = await startedConversation(visitor)
    await receiver.call('agent', { url, roomId })
    let waiting
    // The sender's list ends with the message being sent; it is 'sent' once the server acked it.
    const stopAck = visitor.messages.listen((list) => {
      const last = list[list.length - 1]
      if (waiting && last?.clientId === waiting.clientId && last.status !== 'pending') waiting.ack.resolve(now())
    })
    const ack = []
    const delivery = []
    try {
      for (let i = 0; i < samples; i++) {
        const ackAt = deferred()
        waiting = { clientId: undefined, ack: ackAt }
        const sentAt = epochNow()
        const start = now()
        const { clientId } = visitor.send(TEXT)
        waiting.clientId = clientId
        const [acked, deliveredAt] = await withTimeout(Promise.all([ackAt.promise, arrivalOf(clientId)]), 10_000, 'our send')
        ack.push(acked - start)
        delivery.push(deliveredAt - sentAt)
        await sleep(args.gap)
      }
    } finally {
      stopAck()
    }
    return { ack, delivery }
  } finally {
    visitor.destroy()
    await receiver.call('stop')
  }
}
