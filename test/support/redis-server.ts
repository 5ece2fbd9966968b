/**
 * A throwaway `redis-server` for tests: a free loopback port, no persistence, stopped in cleanup.
 * Tests that share one server keep apart by key prefix. Set REDIS_SERVER to use another binary.
 */
import { spawn } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { createConnection, createServer, type AddressInfo } from 'node:net'
import { delimiter, join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'

export interface RedisServer {
  url: string
  port: number
  /** Stops the server (SIGTERM, then SIGKILL after 2 s). Idempotent. */
  stop(): Promise<void>
}

const START_TIMEOUT_MS = 5_000

/** Starts redis-server on a free port, or on `port` (to bring a stopped one back where it was). */
export async function startRedisServer(port?: number): Promise<RedisServer> {
  const binary = findRedisServer()
  if (port !== undefined) return launch(binary, port)
  // A free port can be taken between asking and binding; another port then does.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    try {
      return await launch(binary, port)
    } catch (error) {
      if (attempt >= 3) throw error
    }
  }
}

/** One redis-server for the whole test file: started before its tests, stopped after them. */
export function useRedisServer(): { readonly url: string } {
  let server: RedisServer | undefined
  beforeAll(async () => {
    server = await startRedisServer()
  })
  afterAll(async () => {
    await server?.stop()
  })
  return {
    get url() {
      if (!server) throw new Error('redis-server is not running (use it inside tests)')
      return server.url
    },
  }
}

function findRedisServer(): string {
  const candidates = [
    process.env.REDIS_SERVER,
    '/usr/bin/redis-server',
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'redis-server')),
  ].filter((path): path is string => Boolean(path))
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK)
      return path
    } catch {
      // not this one
    }
  }
  throw new Error(
    'redis-server was not found (looked at $REDIS_SERVER, /usr/bin/redis-server and PATH). ' +
      'Install it: apt-get install redis-server',
  )
}

async function launch(binary: string, port: number): Promise<RedisServer> {
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const killOnExit = (): void => void child.kill('SIGKILL')
  process.once('exit', killOnExit)

  const deadline = Date.now() + START_TIMEOUT_MS
  while (!(await answersPing(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL')
      process.off('exit', killOnExit)
      throw new Error(`redis-server did not start on port ${port}:\n${output.slice(-2000)}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }

  let stopping: Promise<void> | undefined
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop() {
      stopping ??= (async () => {
        process.off('exit', killOnExit)
        if (child.exitCode !== null || child.signalCode !== null) return
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 2_000)
        await exited
        clearTimeout(timer)
      })()
      return stopping
    },
  }
}

/** True when something on the port answers `PING` with `+PONG`. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' })
    let reply = ''
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(500, () => done(false))
    socket.once('error', () => done(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.on('data', (chunk) => {
      reply += chunk.toString()
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'))
    })
  })
}

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
