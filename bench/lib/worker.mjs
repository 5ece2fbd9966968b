// A benchmark's helper process: forks a script, answers `call(cmd, args)` over IPC, and passes
// on the messages the script sends by itself (`onEvent`). Used for the server host and for the
// receiving side of the latency benchmark, so that what one side does cannot delay the other.
import { fork } from 'node:child_process'
import { withTimeout } from './common.mjs'

/**
 * Forks `file` with `env`; the script answers `{ id, cmd, args }` with `{ id, result | error }`,
 * says `{ ready: true, ... }` once started, and may send `{ event }` messages at any time.
 */
export async function startWorker(file, { env = {}, execArgv = [], onEvent = () => {}, what = 'worker' } = {}) {
  const child = fork(file, [], { execArgv, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const pending = new Map()
  let nextId = 0
  let exited = false
  child.on('exit', (code, signal) => {
    exited = true
    for (const { reject } of pending.values()) reject(new Error(`${what} exited (${code ?? signal})`))
    pending.clear()
  })
  child.on('message', (message) => {
    if (message.event !== undefined) return onEvent(message.event)
    const waiter = pending.get(message.id)
    if (!waiter) return
    pending.delete(message.id)
    if (message.error) waiter.reject(new Error(`${what}: ${message.error}`))
    else waiter.resolve(message.result)
  })
  const ready = await withTimeout(
    new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`${what} exited with ${code} before it was ready`)))
      child.on('message', (message) => message.ready && resolve(message))
    }),
    20_000,
    `the ${what}`,
  )
  const call = (cmd, args) =>
    withTimeout(
      new Promise((resolve, reject) => {
        if (exited) return reject(new Error(`${what} is gone`))
        const id = ++nextId
        pending.set(id, { resolve, reject })
        child.send({ id, cmd, args })
      }),
      60_000,
      `${what} command ${cmd}`,
    )
  return {
    ready,
    pid: child.pid,
    call,
    async close() {
      if (exited) return
      const gone = new Promise((resolve) => child.once('exit', resolve))
      await call('close').catch(() => {})
      child.disconnect()
      await withTimeout(gone, 5000, `the ${what} to exit`).catch(() => child.kill('SIGKILL'))
    },
  }
}

/** The script side: runs `commands` for the parent and reports ready. */
export function serveCommands(commands, ready = {}) {
  process.on('message', async ({ id, cmd, args }) => {
    try {
      const result = await commands[cmd](args)
      process.send({ id, result })
    } catch (error) {
      process.send({ id, error: String(error?.stack ?? error) })
    }
  })
  process.send({ ready: true, ...ready })
}
