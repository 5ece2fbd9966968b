// Starts bench/lib/server-host.mjs as a child process and talks to it.
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { withTimeout } from './common.mjs'

const HOST = fileURLToPath(new URL('./server-host.mjs', import.meta.url))

/**
 * `{ bare, chat }` say which servers to start. Resolves to `{ bareUrl, chatUrl, call(cmd, args),
 * close() }`; `call('stats')` answers the child's memory (after gc) and CPU time.
 */
export async function startServerHost(config) {
  const child = fork(HOST, [], {
    execArgv: ['--expose-gc'],
    env: { ...process.env, OBROLAN_BENCH_HOST: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const pending = new Map()
  let nextId = 0
  let exited = false
  child.on('exit', (code, signal) => {
    exited = true
    for (const { reject } of pending.values()) reject(new Error(`server host exited (${code ?? signal})`))
    pending.clear()
  })
  child.on('message', (message) => {
    const waiter = pending.get(message.id)
    if (!waiter) return
    pending.delete(message.id)
    if (message.error) waiter.reject(new Error(`server host: ${message.error}`))
    else waiter.resolve(message.result)
  })
  const ready = await withTimeout(
    new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`server host exited with ${code} before it was ready`)))
      child.on('message', (message) => message.ready && resolve(message))
    }),
    20_000,
    'the server host',
  )
  const call = (cmd, args) =>
    withTimeout(
      new Promise((resolve, reject) => {
        if (exited) return reject(new Error('server host is gone'))
        const id = ++nextId
        pending.set(id, { resolve, reject })
        child.send({ id, cmd, args })
      }),
      60_000,
      `server host command ${cmd}`,
    )
  return {
    bareUrl: ready.bareUrl,
    chatUrl: ready.chatUrl,
    pid: child.pid,
    call,
    async close() {
      if (exited) return
      const gone = new Promise((resolve) => child.once('exit', resolve))
      await call('close').catch(() => {})
      child.disconnect()
      await withTimeout(gone, 5000, 'the server host to exit').catch(() => child.kill('SIGKILL'))
    },
  }
}
