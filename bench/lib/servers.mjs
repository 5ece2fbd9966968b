// Starts bench/lib/server-host.mjs as a child process and talks to it.
import { fileURLToPath } from 'node:url'
import { startWorker } from './worker.mjs'

const HOST = fileURLToPath(new URL('./server-host.mjs', import.meta.url))

/**
 * `{ bare, chat }` say which servers to start. Resolves to `{ bareUrl, chatUrl, call(cmd, args),
 * close() }`; `call('stats')` answers the child's memory (after gc) and CPU time.
 */
export async function startServerHost(config) {
  const worker = await startWorker(HOST, {
    execArgv: ['--expose-gc'],
    env: { OBROLAN_BENCH_HOST: JSON.stringify(config) },
    what: 'server host',
  })
  return { bareUrl: worker.ready.bareUrl, chatUrl: worker.ready.chatUrl, pid: worker.pid, call: worker.call, close: worker.close }
}
